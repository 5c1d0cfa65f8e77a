import fc from "fast-check";
import { expect, it } from "vitest";
import { CHANNEL_STATES, healthOf } from "@/lib/monitor/states";
import { accountInterval } from "@/lib/monitor/uptime-rollup";
import { forEachBackend } from "@/test/databases";

/**
 * Uptime is accounted in SQL now (public.uptime_pieces, supabase/migrations/20261202003000_quiet_checks.sql):
 * it must split time exactly as lib/monitor/uptime-rollup.ts does, whole seconds per UTC hour and per local
 * day, silence included, in zones a whole number of hours off UTC and in those that are not.
 */

const T = Date.parse("2026-03-01T17:58:00.000Z"); // an hour ahead, and Kolkata's and Kathmandu's midnights
const ZONES = ["UTC", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "Mars/Olympus"];

type Buckets = Record<string, [number, number, number]>;

function add(into: Buckets, key: string, up: number, degraded: number, down: number) {
  const row = (into[key] ??= [0, 0, 0]);
  row[0] += up;
  row[1] += degraded;
  row[2] += down;
}

function nonZero(buckets: Buckets): Buckets {
  return Object.fromEntries(Object.entries(buckets).filter(([, v]) => v[0] + v[1] + v[2] > 0));
}

forEachBackend("uptime pieces in SQL", (db) => {
  it("files each state under the health lib/monitor/states.ts gives it", async () => {
    const rows = await db().sql<{ state: string; health: string }[]>`
      select s as state, public.uptime_health(s) as health from unnest(${[...CHANNEL_STATES]}::text[]) s`;
    expect(Object.fromEntries(rows.map((r) => [r.state, r.health]))).toEqual(
      Object.fromEntries(CHANNEL_STATES.map((state) => [state, healthOf(state)])));
  });

  it("splits any stretch into the same hours and local days as accountInterval", async () => {
    const cases = fc.sample(fc.record({
      fromMs: fc.integer({ min: 0, max: 3 * 3_600_000 }),
      lengthMs: fc.integer({ min: 0, max: 4 * 3_600_000 }),
      state: fc.constantFrom(...CHANNEL_STATES),
      silentAfterMs: fc.option(fc.integer({ min: -600_000, max: 4 * 3_600_000 })),
      zone: fc.constantFrom(...ZONES),
    }), { numRuns: 120, seed: 13 }).map((c, id) => {
      const from = new Date(T - 2 * 3_600_000 + c.fromMs);
      return {
        id, from, to: new Date(from.getTime() + c.lengthMs), state: c.state, zone: c.zone,
        degradedFrom: c.silentAfterMs === null ? null : new Date(from.getTime() + c.silentAfterMs),
      };
    });
    const rows = await db().sql<{ id: number; hour: Date; day: string; up: number; degraded: number; down: number }[]>`
      select c.id, p.hour, p.day::text as day, p.up_seconds as up, p.degraded_seconds as degraded, p.down_seconds as down
      from jsonb_to_recordset(${JSON.stringify(cases)}::text::jsonb)
        as c(id integer, "from" timestamptz, "to" timestamptz, state text, zone text, "degradedFrom" timestamptz)
      cross join lateral public.uptime_pieces(c."from", c."to", c.state, c."degradedFrom", public.usable_time_zone(c.zone)) p`;
    for (const c of cases) {
      const sqlHours: Buckets = {};
      const sqlDays: Buckets = {};
      for (const row of rows.filter((r) => r.id === c.id)) {
        add(sqlHours, row.hour.toISOString(), row.up, row.degraded, row.down);
        add(sqlDays, row.day, row.up, row.degraded, row.down);
      }
      const expected = accountInterval({
        channelId: "c", tenantId: "t", timezone: c.zone, state: c.state, from: c.from, to: c.to,
        maxGapMs: Infinity, degradedFrom: c.degradedFrom,
      });
      const tsHours: Buckets = {};
      const tsDays: Buckets = {};
      for (const r of expected.hourly) add(tsHours, r.bucket, r.upSeconds, r.degradedSeconds, r.downSeconds);
      for (const r of expected.daily) add(tsDays, r.bucket, r.upSeconds, r.degradedSeconds, r.downSeconds);
      expect({ case: c, hours: nonZero(sqlHours), days: nonZero(sqlDays) })
        .toEqual({ case: c, hours: nonZero(tsHours), days: nonZero(tsDays) });
    }
  });
});
