import { afterEach, beforeEach, expect, it } from "vitest";
import type { Sql } from "@/lib/db/client";
import { createMonitorStore } from "@/lib/db/monitor-store";
import { forEachBackend } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

/**
 * A claim that finds a channel after a gap longer than three intervals starts its uptime again from
 * itself, so the gap stays "no data". It must do so whoever moved accounted_until while the claim was
 * running: another pass's hourly materialization (every fanned-out worker runs one at the first pass of
 * an hour, which after an outage is also the pass that finds the gaps), or a webhook event ending a
 * silence. Two statements at once need two connections: PostgreSQL only (PGlite runs one at a time).
 */
forEachBackend("a claim after a gap, racing the hourly materialization", (db, backend) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const observed = async (channelId: string) => {
    const [row] = await h.sql<{ hourly: number; daily: number }[]>`
      select
        (select coalesce(sum(up_seconds + degraded_seconds + down_seconds), 0)::int
          from public.channel_uptime_hourly where channel_id = ${channelId}) as hourly,
        (select coalesce(sum(up_seconds + degraded_seconds + down_seconds), 0)::int
          from public.channel_uptime_daily where channel_id = ${channelId}) as daily`;
    return row;
  };

  it.skipIf(backend.name === "pglite")("never counts the gap when another pass materializes the hour meanwhile", async () => {
    const id = await h.addChannel("steady", "healthy");
    await h.pass();
    h.clock.advance(30_000);
    await h.pass();
    expect(await observed(id)).toEqual({ hourly: 30, daily: 30 });

    // The monitor stops for 70 minutes. The first passes after it, into a new hour, run side by side
    // (a fanned-out pass's workers): one materializes the hour while another claims the channel.
    h.clock.advance(70 * 60_000);
    let passDone = false;
    let pass: Promise<unknown> | undefined;
    await h.sql.begin(async (tx) => {
      expect(await createMonitorStore(tx as unknown as Sql).materializeHours!(h.clock.now)).toBe(1);
      pass = h.pass().finally(() => {
        passDone = true;
      });
      // The pass's claim waits for the row the materialization holds.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(passDone).toBe(false);
    });
    await pass;
    expect(await h.status(id)).toMatchObject({ state: "connected", last_checked_at: h.clock.now });
    // The 70 minutes nobody watched stay "no data": the 30 s watched before them, and nothing else.
    expect(await observed(id)).toEqual({ hourly: 30, daily: 30 });
    h.clock.advance(30_000);
    await h.pass();
    expect(await observed(id)).toEqual({ hourly: 60, daily: 60 });
  });
});
