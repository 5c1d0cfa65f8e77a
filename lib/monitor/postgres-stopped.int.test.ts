import path from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { closeSql, createSql, type Sql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { resetEnvCache } from "@/lib/env";
import { startHarness, type Harness } from "@/test/monitor-harness";
import { startThrowawayCluster, type ThrowawayCluster } from "@/test/pg-cluster";

/**
 * PostgreSQL stopped in the middle of a pass (a fast shutdown, as `pg_ctl stop` or a managed database's
 * maintenance does). The pass fails with a clear error instead of hanging, /api/health answers 503 with
 * a body (not 500), nothing committed is lost, and once the database is back the next call recovers.
 * Its own cluster, since the run's shared one must not go down.
 */

const MIGRATIONS = path.resolve(import.meta.dirname, "..", "..", "supabase", "migrations");
const ENV_KEYS = ["DATABASE_URL", "MONITOR_INTERVAL_SECONDS"] as const;

async function healthOf() {
  const response = await health();
  return { status: response.status, body: await response.json() };
}

describe("PostgreSQL stopped mid-pass", () => {
  let cluster: ThrowawayCluster;
  let sql: Sql;
  let h: Harness;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    const url = await cluster.createDatabase("outage");
    sql = createSql(url, { max: 4 });
    await migrate(sql, MIGRATIONS);
    h = await startHarness(sql);
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    process.env.DATABASE_URL = url;
    process.env.MONITOR_INTERVAL_SECONDS = "30";
    resetEnvCache();
    await closeSql();
  });

  afterAll(async () => {
    await closeSql();
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    resetEnvCache();
    await h?.stop();
    await sql?.end({ timeout: 1 });
    await cluster?.stop();
  });

  it("fails the pass clearly, answers 503 while down, loses nothing committed and recovers", async () => {
    const clock = () => new Date();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await h.addChannel(`line-${i}`, "healthy", { latencyMs: 150 }));
    expect(await h.pass({ batchSize: 5, concurrency: 5 }, { clock })).toMatchObject({ checked: 20 });
    expect(await healthOf()).toMatchObject({ status: 200, body: { ok: true, reason: null } });

    // Everything due again; stop the database once the pass has committed its first batches.
    await sql`update public.channel_status set next_check_at = now() - interval '1 second'`;
    const secondStart = new Date();
    const pass = h.pass({ batchSize: 5, concurrency: 5 }, { clock }).then(
      (summary) => ({ summary, error: undefined }),
      (error: Error) => ({ summary: undefined, error }),
    );
    let committed = 0;
    while (committed < 5) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      [{ n: committed }] = await sql<{ n: number }[]>`
        select count(*)::int as n from public.channel_status where last_checked_at >= ${secondStart}`;
    }
    const stoppedAt = performance.now();
    await cluster.stopServer();

    const { summary, error } = await pass;
    const failedAfterMs = performance.now() - stoppedAt;
    expect(summary).toBeUndefined();
    // However the server goes, the client sees it as a connection failure: a notice, a reset or a refusal.
    expect(error?.message).toMatch(/shutting down|terminating connection|CONNECTION_|ECONNREFUSED|ECONNRESET|EPIPE|connect/);
    console.log(`pass failed ${Math.round(failedAfterMs)} ms after the stop: ${error?.message}`);
    expect(failedAfterMs).toBeLessThan(15_000);

    const down = performance.now();
    const whileDown = await healthOf();
    console.log(`health while down: ${whileDown.status} in ${Math.round(performance.now() - down)} ms`, whileDown.body);
    expect(whileDown).toEqual({
      status: 503,
      body: { ok: false, lastPassAt: null, ageSeconds: null, thresholdSeconds: 90, reason: expect.stringContaining("database is unreachable") },
    });

    await cluster.startServer();
    // Committed before the stop, still there after it.
    const [{ n: kept }] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.channel_status where last_checked_at >= ${secondStart}`;
    expect(kept).toBeGreaterThanOrEqual(committed);
    // The next call answers again, from the database.
    expect(await healthOf()).toMatchObject({ status: 200, body: { ok: true } });
    // The next pass, one interval on, closes the pass the outage cut off and checks every channel,
    // those it had claimed included.
    const later = () => new Date(Date.now() + 31_000);
    expect(await h.pass({ batchSize: 5, concurrency: 5 }, { clock: later })).toMatchObject({ checked: 20, remaining: 0 });
    const runs = await sql<{ error: string | null }[]>`select error from public.monitor_runs order by started_at`;
    expect(runs.map((r) => r.error?.replace(/since .*/, "since …") ?? null)).toEqual([null, "abandoned: no heartbeat since …", null]);
    const [{ n: leased }] = await sql<{ n: number }[]>`select count(*)::int as n from public.channel_status where lease_owner is not null`;
    expect(leased).toBe(0);
  }, 60_000);
});
