import { afterEach, beforeEach, expect, it } from "vitest";
import { listChannelHealth } from "@/lib/db/channel-health";
import { getLastPassAt, livenessOf } from "@/lib/db/monitor-runs";
import { forEachBackend } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

const INTERVAL_S = 30;

forEachBackend("time without passes", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const upSeconds = async (channelId: string) => {
    const [row] = await h.sql<{ up: number; observed: number }[]>`
      select coalesce(sum(up_seconds), 0)::int as up,
        coalesce(sum(up_seconds + degraded_seconds + down_seconds), 0)::int as observed
      from public.channel_uptime_hourly where channel_id = ${channelId}`;
    const [day] = await h.sql<{ up: number }[]>`
      select coalesce(sum(up_seconds), 0)::int as up from public.channel_uptime_daily where channel_id = ${channelId}`;
    return { hourly: row.up, observed: row.observed, daily: day.up };
  };

  it("counts a gap longer than three intervals as no data, never as up", async () => {
    const id = await h.addChannel("steady", "healthy");
    await h.pass();
    h.clock.advance(INTERVAL_S * 1000);
    await h.pass();
    expect(await upSeconds(id)).toEqual({ hourly: 30, observed: 30, daily: 30 });

    // The monitor stops for ten minutes: the banner would be up, and the channel was never looked at.
    h.clock.advance(10 * 60_000);
    expect(livenessOf(await getLastPassAt(h.sql), h.clock.now, INTERVAL_S).alive).toBe(false);
    await h.pass();
    expect(await upSeconds(id)).toEqual({ hourly: 30, observed: 30, daily: 30 });

    // Back to normal: the next interval counts again, and the dashboard reads exactly that.
    h.clock.advance(INTERVAL_S * 1000);
    await h.pass();
    expect(await upSeconds(id)).toEqual({ hourly: 60, observed: 60, daily: 60 });
    const [health] = await listChannelHealth(h.sql, h.tenantId, h.clock.now, "America/Sao_Paulo");
    expect(health.uptime24h).toEqual({ upSeconds: 60, observedSeconds: 60 });
    // Half of it is the open stretch (not materialized yet): the 90-day strip adds it up too.
    expect(health.daily.reduce((sum, day) => sum + day.upSeconds, 0)).toBe(60);
  });

  // Three check intervals (90 s for 30 s channels) between two checks still count, as the liveness
  // banner's threshold does; a once-a-minute cron (Vercel's finest) stays inside it. Not a second more.
  it("counts a gap up to the monitor's limit and nothing beyond it", async () => {
    const id = await h.addChannel("late", "healthy");
    await h.pass();
    h.clock.advance(90_000);
    await h.pass();
    expect(await upSeconds(id)).toEqual({ hourly: 90, observed: 90, daily: 90 });
    h.clock.advance(91_000);
    await h.pass();
    expect(await upSeconds(id)).toEqual({ hourly: 90, observed: 90, daily: 90 });
  });
});
