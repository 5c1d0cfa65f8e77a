import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, type OpenDatabase } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

/**
 * `kill -9` in the middle of `sentinela monitor --once`, a real process against a real database and a
 * slow gateway: its channels are checked again by the next pass within one check interval of their
 * claim (10 s here, the shortest allowed), in real time. Before, `--once` leased them for 15.5 min.
 * PostgreSQL only: what is tested is the lease, not the backend.
 */

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const INTERVAL_S = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a pass killed with SIGKILL", () => {
  let db: OpenDatabase;
  let h: Harness;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    h = await startHarness(db.sql, { timeoutMs: 8_000 });
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await h?.stop();
    await db?.close();
  });

  it("leaves its channels due again one interval after it claimed them", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await h.addChannel(`slow-${i}`, "healthy", { latencyMs: 1_500 }));
    await h.sql`update public.channels set check_interval_seconds = ${INTERVAL_S}`;
    await h.sql`update public.channel_status set next_check_at = now() - interval '1 second'`;

    const gateway = new URL(h.simulator.url);
    child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", "monitor", "--once"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        CHANNEL_SECRET_KEY: h.secretKey,
        MONITOR_CONCURRENCY: "2",
        GATEWAY_TIMEOUT_MS: "8000",
        GATEWAY_ALLOWED_HOSTS: gateway.host,
        APP_URL: "",
      },
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));

    // Mid-pass: it has claimed the channels and is waiting on the slow gateway.
    let claims: { owner: string; until: Date }[] = [];
    for (let waited = 0; claims.length < ids.length; waited += 50) {
      if (waited > 30_000 || child.exitCode !== null) throw new Error(`the pass never claimed its channels:\n${output}`);
      await sleep(50);
      claims = await h.sql<{ owner: string; until: Date }[]>`
        select lease_owner as owner, lease_until as until from public.channel_status where lease_owner is not null`;
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child!.once("exit", resolve));
    const killedAt = Date.now();

    const [run] = await h.sql<{ id: string; startedAt: Date; finishedAt: Date | null }[]>`
      select id, started_at as "startedAt", finished_at as "finishedAt" from public.monitor_runs`;
    expect(run.finishedAt).toBeNull();
    expect(new Set(claims.map((c) => c.owner))).toEqual(new Set([run.id]));
    // Each claim holds its channel for one interval, whatever the entry point's budget.
    const latestLease = Math.max(...claims.map((c) => c.until.getTime()));
    expect(latestLease - run.startedAt.getTime()).toBeLessThanOrEqual(INTERVAL_S * 1000 + 2_000);

    // Next passes, every 500 ms in real time, until every channel has been checked again (the gateway is
    // still slow: these are real checks). The time that counts is when the pass that took them started.
    const clock = () => new Date();
    let checked = 0;
    let firstChecked: number | undefined;
    while (checked < ids.length) {
      if (Date.now() - killedAt > INTERVAL_S * 1000 + 10_000) throw new Error(`only ${checked} re-checked`);
      const passStarted = Date.now();
      const summary = await h.pass({ concurrency: 6 }, { clock });
      if (summary.checked > 0) firstChecked ??= passStarted;
      checked += summary.checked;
      if (checked < ids.length) await sleep(500);
    }
    const sinceClaimS = (firstChecked! - run.startedAt.getTime()) / 1000;
    const sinceKillS = (firstChecked! - killedAt) / 1000;
    console.log(`interval ${INTERVAL_S} s: re-check began ${sinceClaimS.toFixed(1)} s after the claim, ${sinceKillS.toFixed(1)} s after the kill`);
    // Not before the lease ran out (no double check of a pass that might still be alive) …
    expect(sinceClaimS).toBeGreaterThanOrEqual(INTERVAL_S - 0.5);
    // … and within one interval of the claim (plus this loop's 0.5 s cadence and the claim's own time).
    expect(sinceClaimS).toBeLessThanOrEqual(INTERVAL_S + 2);

    const [closed] = await h.sql<{ error: string | null }[]>`select error from public.monitor_runs where id = ${run.id}`;
    expect(closed.error).toMatch(/^abandoned: no heartbeat since /);
    const [{ n }] = await h.sql<{ n: number }[]>`
      select count(*)::int as n from public.channel_status where state = 'connected' and lease_owner is null`;
    expect(n).toBe(ids.length);
  }, 60_000);
});
