import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, type OpenDatabase } from "@/test/databases";
import { startHarness, T0, type Harness } from "@/test/monitor-harness";

/**
 * A pass that takes longer than the due slack (5 s) must not push the channels it checked late past the
 * next tick: they are due one interval after the pass started, so a 60 s scheduler over 60 s channels
 * checks every one of them at every tick, however long each pass takes. PostgreSQL only.
 */

describe("a long pass keeps the schedulers' cadence", () => {
  let db: OpenDatabase;
  let h: Harness;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    h = await startHarness(db.sql);
  });
  afterAll(async () => {
    await h?.stop();
    await db?.close();
  });

  it("makes every channel due at the next tick even when it was checked long into the pass", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await h.addChannel(`late-${i}`, "healthy"));
    await h.sql`update public.channels set check_interval_seconds = 60 where id = any(${ids}::uuid[])`;
    // Every read of the clock is 1 s later: the last checks run well past the 5 s slack into the pass.
    const clock = () => {
      const now = new Date(h.clock.now);
      h.clock.advance(1_000);
      return now;
    };
    const summary = await h.pass({ concurrency: 1, batchSize: 1, budgetMs: 600_000 }, { clock });
    expect(summary.checked).toBe(4);
    const rows = await h.sql<{ last: Date; next: Date }[]>`
      select last_checked_at as last, next_check_at as next from public.channel_status where channel_id = any(${ids}::uuid[])`;
    const started = (await h.sql<{ at: Date }[]>`select started_at as at from public.monitor_runs`)[0].at.getTime();
    expect(started).toBe(T0.getTime());
    expect(Math.max(...rows.map((r) => r.last.getTime())) - started).toBeGreaterThan(10_000);
    // Due at the pass start + 60 s: a tick at T0 + 60 s claims all four (without this, the late ones
    // would be due past T0 + 70 s and wait for the tick after).
    expect(rows.map((r) => r.next.getTime() - started)).toEqual([60_000, 60_000, 60_000, 60_000]);
  });

  it("never schedules a check sooner than half an interval after it ran (a pass that overran its interval)", async () => {
    const id = await h.addChannel("overrun", "healthy");
    await h.sql`update public.channel_status set next_check_at = ${h.clock.now} where channel_id = ${id}`;
    const clock = () => {
      const now = new Date(h.clock.now);
      h.clock.advance(25_000);
      return now;
    };
    await h.pass({ budgetMs: 600_000 }, { clock });
    const [row] = await h.sql<{ last: Date; next: Date }[]>`
      select last_checked_at as last, next_check_at as next from public.channel_status where channel_id = ${id}`;
    expect(row.next.getTime() - row.last.getTime()).toBe(15_000);
  });
});
