import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { closeSql } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { backends, type OpenDatabase } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

/**
 * /api/health against a real database and the real clock: passes that finish "ok" while recording
 * nothing must not read as healthy (the issue measured 0 of 2,001 channels recorded for 4½ minutes
 * while this said 200).
 */

const ENV_KEYS = ["DATABASE_URL", "MONITOR_INTERVAL_SECONDS"] as const;

async function healthOf() {
  const response = await health();
  return { status: response.status, body: await response.json() };
}

describe("GET /api/health", () => {
  let db: OpenDatabase;
  let h: Harness;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    process.env.DATABASE_URL = db.url;
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
    await db?.close();
  });
  beforeEach(async () => {
    await db.sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db.sql);
  });
  afterEach(async () => h.stop());

  const seconds = (n: number) => new Date(Date.now() + n * 1000);
  const run = (startedAt: Date, values: { checked: number; remaining: number; error?: string }) => db.sql`
    insert into public.monitor_runs (trigger, started_at, finished_at, heartbeat_at, checked, remaining, error)
    values ('cron', ${startedAt}, ${new Date(startedAt.getTime() + 1000)}, ${startedAt}, ${values.checked}, ${values.remaining}, ${values.error ?? null})`;

  it("is 200 while passes record, and 503 with a reason when channels stay due while passes say ok", async () => {
    const ids = [await h.addChannel("a", "healthy"), await h.addChannel("b", "healthy")];
    await db.sql`update public.channel_status set next_check_at = ${seconds(20)}`;
    await run(seconds(-10), { checked: 2, remaining: 0 });
    expect(await healthOf()).toMatchObject({ status: 200, body: { ok: true, reason: null, thresholdSeconds: 90 } });

    // Every lease stuck on a pass that is still beating: later passes finish ok having checked nothing.
    const [stuck] = await db.sql<{ id: string }[]>`
      insert into public.monitor_runs (trigger, started_at, heartbeat_at) values ('cron', ${seconds(-300)}, ${seconds(-1)}) returning id`;
    await db.sql`update public.channel_status set next_check_at = ${seconds(-270)}, lease_owner = ${stuck.id},
      lease_until = ${seconds(60)} where channel_id = any(${ids}::uuid[])`;
    await run(seconds(-5), { checked: 0, remaining: 0 });
    const answer = await healthOf();
    expect(answer).toMatchObject({ status: 503, body: { ok: false, ageSeconds: 4, lastPassAt: expect.any(String) } });
    expect(answer.body.reason).toBe("2 monitored channel(s) overdue by more than 90 s: due channels are not being checked");
  });

  it("is 503 when the latest pass failed, and 200 again after a good one", async () => {
    await run(seconds(-20), { checked: 5, remaining: 0 });
    await run(seconds(-8), { checked: 0, remaining: 0, error: "unsupported Unicode escape sequence" });
    const failed = await healthOf();
    expect(failed).toMatchObject({ status: 503, body: { ok: false, ageSeconds: 19 } });
    expect(failed.body.reason).toMatch(/^the last monitor pass failed at .*; its error is on \/admin$/);
    await run(seconds(-3), { checked: 5, remaining: 0 });
    expect(await healthOf()).toMatchObject({ status: 200, body: { ok: true } });
  });

  it("is 503 when the latest pass checked nothing while channels were due", async () => {
    await run(seconds(-4), { checked: 0, remaining: 2001 });
    expect(await healthOf()).toMatchObject({
      status: 503, body: { ok: false, reason: "the last monitor pass checked no channel while 2001 were due" },
    });
  });
});
