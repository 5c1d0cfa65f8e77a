import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as cronGet } from "@/app/api/cron/monitor/route";
import { POST as workerPost } from "@/app/api/cron/monitor/worker/route";
import { closeSql } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { backends, type OpenDatabase } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

/**
 * The cron route and the worker route as Next.js runs them (their exported handlers, the real runtime
 * wiring, env and database pool), the worker reached over HTTP at APP_URL. Past one invocation's
 * measured capacity the cron call fans out: workers and the cron call's own share check every due
 * channel exactly once, and the answer adds them up. PostgreSQL only: what is tested is the fan-out.
 */

const SECRET = "fan-out-test-cron-secret-0123456789";
const CHANNELS = 120;

describe("the cron route fanning out to worker invocations", () => {
  let db: OpenDatabase;
  let h: Harness;
  let app: Server;
  let workerCalls = 0;
  const saved = { ...process.env };

  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    h = await startHarness(db.sql, { timeoutMs: 5_000 });
    // A stand-in for the deployment: the worker route's handler behind a real HTTP server.
    app = createServer(async (req, res) => {
      workerCalls++;
      const response = await workerPost(new Request(`http://127.0.0.1${req.url}`, {
        method: req.method, headers: req.headers as Record<string, string>,
      }));
      res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    Object.assign(process.env, {
      DATABASE_URL: db.url, CRON_SECRET: SECRET, CHANNEL_SECRET_KEY: h.secretKey,
      APP_URL: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
      MONITOR_MAX_WORKERS: "3", MONITOR_CONCURRENCY: "10", GATEWAY_TIMEOUT_MS: "2000",
    });
    resetEnvCache();
  });
  afterAll(async () => {
    process.env = saved;
    resetEnvCache();
    await closeSql();
    await new Promise((resolve) => app?.close(resolve));
    await h?.stop();
    await db?.close();
  });

  it("checks every due channel exactly once across the workers and its own share", async () => {
    const names = Array.from({ length: CHANNELS }, (_, i) => `fan-${i}`);
    for (const name of names) await h.addChannel(name, "healthy", { latencyMs: 5 });
    // A measured rate of 1 check/s: 1 × (50 s − 8 s reserve) × 0.8 = 33 channels per invocation, so 120
    // due need 4 invocations: the cron call and 3 workers (MONITOR_MAX_WORKERS), 30 each.
    await h.sql`insert into public.monitor_runs (trigger, started_at, finished_at, checked, duration_ms)
      values ('cron', now() - interval '10 minutes', now() - interval '8 minutes', 120, 120000)`;

    const response = await cronGet(new Request("http://127.0.0.1/api/cron/monitor", { headers: { authorization: `Bearer ${SECRET}` } }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      ok: true, checked: CHANNELS, remaining: 0, failed: 0,
      workers: { started: 3, answered: 3, errors: [], plan: { due: CHANNELS, checksPerSecond: 1, measured: true, capacity: 33, share: 30 } },
    });
    expect(workerCalls).toBe(3);

    // Each channel checked once, by exactly one of the four runs; the cron call took at most its share.
    const perInstance = names.map((name) => h.simulator.stats(name).calls["GET /instance/connectionState"] ?? 0);
    expect(perInstance.filter((n) => n > 1)).toEqual([]);
    const runs = await h.sql<{ id: string; checked: number }[]>`
      select id, checked from public.monitor_runs where started_at > now() - interval '5 minutes'`;
    expect(runs).toHaveLength(4);
    // Workers claim until nothing is due, so a slow start of the cron call's own pass leaves it less
    // than its share (never more: its claims are limited to it); the total is what must be exact.
    expect(runs.find((run) => run.id === body.runId)?.checked).toBeLessThanOrEqual(30);
    expect(runs.reduce((sum, run) => sum + run.checked, 0)).toBe(CHANNELS);
    const [{ checked, leased }] = await h.sql<{ checked: number; leased: number }[]>`
      select count(*) filter (where state = 'connected' and last_checked_at > now() - interval '5 minutes')::int as checked,
        count(*) filter (where lease_owner is not null)::int as leased from public.channel_status`;
    expect({ checked, leased }).toEqual({ checked: CHANNELS, leased: 0 });
  }, 120_000);

  it("answers the plain summary, starting no worker, when one invocation suffices", async () => {
    await h.sql`update public.channel_status set next_check_at = now() - interval '1 second'`;
    await h.sql`update public.monitor_runs set checked = 100000 where trigger = 'cron'`;
    const before = workerCalls;
    const response = await cronGet(new Request("http://127.0.0.1/api/cron/monitor", { headers: { authorization: `Bearer ${SECRET}` } }));
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(["checked", "durationMs", "failed", "ok", "reconnects", "remaining", "runId", "transitions"]);
    expect(body).toMatchObject({ checked: CHANNELS, remaining: 0 });
    expect(workerCalls).toBe(before);
  }, 60_000);

  it("refuses a worker call without the cron secret", async () => {
    const response = await workerPost(new Request("http://127.0.0.1/api/cron/monitor/worker", { method: "POST" }));
    expect(response.status).toBe(401);
  });
});
