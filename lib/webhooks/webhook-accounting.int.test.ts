import { afterEach, beforeEach, expect, it } from "vitest";
import { forEachBackend } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";
import { connectionEvent, inProcessReceiver, webhookSecretOf } from "@/test/webhook-fixtures";

/**
 * Issue 9, point 6: what a person reads from the rollups and the timeline is exact. Seconds are not
 * lost to rounding however fast the transitions come, and the timeline's order is the order in which
 * the transitions were committed, however the deliveries raced.
 */

function seededRandom(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

forEachBackend("uptime accounting and timeline order", (db) => {
  let h: Harness;

  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const accountedSeconds = async (channelId: string) => {
    const [row] = await h.sql<{ hourly: number; daily: number; hours: number }[]>`
      select
        (select coalesce(sum(up_seconds + degraded_seconds + down_seconds), 0)::int
          from public.channel_uptime_hourly where channel_id = ${channelId}) as hourly,
        (select count(*)::int from public.channel_uptime_hourly where channel_id = ${channelId}) as hours,
        (select coalesce(sum(up_seconds + degraded_seconds + down_seconds), 0)::int
          from public.channel_uptime_daily where channel_id = ${channelId}) as daily`;
    return row;
  };

  it("adds 200 fast webhook transitions and the monitor's next check up to the time that passed, not a rounding of each", async () => {
    // Start 12.1 s before an hour boundary, off the whole second, so pieces are split there too.
    h.clock.advance(59 * 60_000 + 47_900);
    const id = await h.addChannel("rapid", "healthy");
    await h.pass();
    const start = h.clock.now.getTime();
    expect(await h.status(id)).toMatchObject({ state: "connected", accounted_until: h.clock.now });

    const receiver = inProcessReceiver(h.sql, h.secretKey, { clock: () => new Date(h.clock.now) });
    const secret = await webhookSecretOf(h.sql, h.secretKey, id);
    const outcomes: string[] = [];
    for (let i = 0; i < 200; i++) {
      h.clock.advance(126); // 200 × 126 ms = 25.2 s
      const event = i % 2 === 0
        ? connectionEvent("rapid", "close", new Date(h.clock.now), 428)
        : connectionEvent("rapid", "open", new Date(h.clock.now));
      const response = await receiver.post(id, event, { secret });
      outcomes.push(((await response.json()) as { outcome: string }).outcome);
    }
    expect(outcomes.filter((o) => o === "transition")).toHaveLength(200);
    const afterWebhooks = h.clock.now.getTime();
    const floorSeconds = (ms: number) => Math.floor(ms / 1000);
    const webhookSeconds = floorSeconds(afterWebhooks) - floorSeconds(start);
    // 25.2 s from 12:59:47.900 to 13:00:13.100: the whole seconds begun in between, 26 (25 or 26 for
    // any start). Rounding each 126 ms piece counted 0.
    expect(webhookSeconds).toBe(26);
    expect(await accountedSeconds(id)).toEqual({ hourly: webhookSeconds, daily: webhookSeconds, hours: 2 });

    // The monitor's next check continues from the last transition, on the same exact boundaries.
    h.clock.advance(5_500);
    await h.pass();
    const total = floorSeconds(h.clock.now.getTime()) - floorSeconds(start);
    expect(Math.abs(total - (h.clock.now.getTime() - start) / 1000)).toBeLessThanOrEqual(1);
    expect(await accountedSeconds(id)).toEqual({ hourly: total, daily: total, hours: 2 });
  });

  it("orders the timeline as the transitions were committed under 150 parallel shuffled deliveries", async () => {
    const id = await h.addChannel("racing", "healthy");
    await h.pass();
    const receiver = inProcessReceiver(h.sql, h.secretKey);
    const secret = await webhookSecretOf(h.sql, h.secretKey, id);
    const random = seededRandom(3);
    const base = Date.now();
    // Gateway times in order of emission, delivered all at once and shuffled within a few places (as a
    // gateway's parallel deliveries arrive): each is stamped by our clock on arrival, then races to the
    // channel's row. Shuffled further, nearly every delivery would be stale and nothing would race.
    const events = Array.from({ length: 150 }, (_, i) =>
      i % 2 === 0 ? connectionEvent("racing", "close", new Date(base + i), 428) : connectionEvent("racing", "open", new Date(base + i)));
    const shuffled = events.map((event, i) => ({ event, key: i + random() * 6 })).sort((a, b) => a.key - b.key).map((e) => e.event);
    // Ten at a time, as a gateway's connection pool delivers (all 150 at once would mostly measure
    // the guarded write's retry limit, not the order).
    const statuses: number[] = [];
    for (let wave = 0; wave < shuffled.length; wave += 10) {
      const answers = await Promise.all(shuffled.slice(wave, wave + 10).map((event) => receiver.post(id, event, { secret })));
      statuses.push(...answers.map((response) => response.status));
    }
    expect(statuses.every((status) => status === 200)).toBe(true);

    // `id` is drawn while the statement holds the channel's status row, so it is the commit order.
    const rows = await h.sql<{ id: string; from_state: string; to_state: string; occurred_at: Date }[]>`
      select id::text, from_state, to_state, occurred_at from public.channel_events
      where channel_id = ${id} order by id`;
    expect(rows.length).toBeGreaterThan(10);
    const byTime = [...rows].sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime() || Number(a.id) - Number(b.id));
    const outOfOrder = byTime.filter((row, i) => row.id !== rows[i].id).length;
    expect(outOfOrder, `${outOfOrder} of ${rows.length} transitions shown out of commit order`).toBe(0);
    // What a person sees: each transition starts from the state the one above it ended in.
    for (let i = 1; i < byTime.length; i++) expect(byTime[i].from_state).toBe(byTime[i - 1].to_state);
    expect(byTime.at(-1)!.to_state).toBe((await h.status(id)).state);
    // Strictly increasing: no two transitions of one channel share an instant.
    for (let i = 1; i < byTime.length; i++) {
      expect(byTime[i].occurred_at.getTime()).toBeGreaterThan(byTime[i - 1].occurred_at.getTime());
    }
  });
});
