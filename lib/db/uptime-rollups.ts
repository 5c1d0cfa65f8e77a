import type postgres from "postgres";
import type { Db } from "@/lib/db/client";
import type { RollupIncrement } from "@/lib/monitor/types";

/**
 * Materializing uptime into channel_uptime_hours and channel_uptime_days, as statement fragments, so
 * the monitor's statements and the webhook receiver's write it the same way, each inside its own single
 * statement (supabase/migrations/20261202003000_quiet_checks.sql says what the rows mean).
 *
 * Seconds come from stretches of time in one state (the SQL function public.uptime_pieces splits them
 * into hours and local days); a stretch source is a subquery with the columns of STRETCH_COLUMNS. Check
 * counts and latencies come from the raw checks a pass records (samples and noteworthy checks).
 * Whoever builds a source must restrict it to channels whose status row the same statement really
 * moved (accounted_until): a write that lost its guard must not add seconds.
 */

const json = (value: unknown) => JSON.stringify(value);

/** What a stretch source selects: channel_id, tenant_id, from_at, to_at, state, degraded_from, time_zone. */
export const STRETCH_COLUMNS = "channel_id, tenant_id, from_at, to_at, state, degraded_from, time_zone";

/** SQL expressions for a status row `s` of channel `c` in tenant `t`: silence start and usable time zone. */
export function stretchContext(sql: Db) {
  return {
    degradedFrom: sql`public.silence_degraded_from(s.state, s.since, s.last_event_at, c.silence_threshold_seconds)`,
    timeZone: sql`coalesce(t.usable_timezone, 'UTC')`,
  };
}

/** The check counts and latencies of recorded checks, as rows for materializeUptime. */
export function rollupRows(increments: RollupIncrement[]) {
  return increments.map((r) => ({
    channel_id: r.channelId, tenant_id: r.tenantId, bucket: r.bucket,
    checks: r.checks, failed: r.failedChecks, lat_sum: Math.round(r.latencySumMs), lat_n: r.latencyCount,
    lat_max: Math.round(r.latencyMaxMs),
  }));
}

type Rows = ReturnType<typeof rollupRows>;

export interface UptimeInput {
  /** A subquery selecting STRETCH_COLUMNS: the stretches to materialize. */
  stretches?: postgres.Fragment;
  /** Recorded checks' counts and latencies, per bucket of the grain. */
  checks?: Rows;
  /** Channels whose check rows apply (a subquery of channel ids); required with `checks`. */
  checksFor?: postgres.Fragment;
}

export function upsertHourlyUptime(sql: Db, input: UptimeInput) {
  return upsertUptime(sql, "hourly", input);
}

export function upsertDailyUptime(sql: Db, input: UptimeInput) {
  return upsertUptime(sql, "daily", input);
}

/**
 * One additive upsert for either grain (UTC hours, or the tenant's local days): every row of the
 * statement for one bucket is summed first, since one statement may not touch a row twice.
 */
function upsertUptime(sql: Db, grain: "hourly" | "daily", input: UptimeInput) {
  const table = sql(grain === "hourly" ? "public.channel_uptime_hours" : "public.channel_uptime_days");
  const column = sql(grain === "hourly" ? "hour" : "day");
  const bucket = grain === "hourly" ? sql`r.bucket::timestamptz` : sql`r.bucket::date`;
  const parts: postgres.Fragment[] = [];
  if (input.stretches) {
    parts.push(sql`
      select x.channel_id, x.tenant_id, p.${column} as bucket, p.up_seconds as up, p.degraded_seconds as degraded,
        p.down_seconds as down, 0 as checks, 0 as failed, 0::bigint as lat_sum, 0 as lat_n, 0 as lat_max
      from (${input.stretches}) x
      cross join lateral public.uptime_pieces(x.from_at, x.to_at, x.state, x.degraded_from, x.time_zone) p`);
  }
  if (input.checks && input.checks.length > 0) {
    parts.push(sql`
      select r.channel_id, r.tenant_id, ${bucket}, 0, 0, 0, r.checks, r.failed, r.lat_sum, r.lat_n, r.lat_max
      from jsonb_to_recordset(${json(input.checks)}::text::jsonb) as r(channel_id uuid, tenant_id uuid, bucket text,
        checks integer, failed integer, lat_sum bigint, lat_n integer, lat_max integer)
      where r.channel_id in (${input.checksFor ?? sql`select null::uuid`})`);
  }
  const rows = parts.length === 0
    ? sql`select null::uuid as channel_id, null::uuid as tenant_id, null as bucket, 0 as up, 0 as degraded, 0 as down,
        0 as checks, 0 as failed, 0::bigint as lat_sum, 0 as lat_n, 0 as lat_max where false`
    : parts.reduce((all, part) => sql`${all} union all ${part}`);
  return sql`
    insert into ${table} as u (channel_id, tenant_id, ${column}, up_seconds, degraded_seconds, down_seconds,
      checks, failed_checks, latency_sum_ms, latency_count, latency_max_ms)
    select channel_id, tenant_id, bucket, sum(up), sum(degraded), sum(down), sum(checks), sum(failed), sum(lat_sum),
      sum(lat_n), max(lat_max)
    from (${rows}) r
    group by channel_id, tenant_id, bucket
    having sum(up) + sum(degraded) + sum(down) + sum(checks) > 0
    on conflict (channel_id, ${column}) do update set
      up_seconds = u.up_seconds + excluded.up_seconds,
      degraded_seconds = u.degraded_seconds + excluded.degraded_seconds,
      down_seconds = u.down_seconds + excluded.down_seconds,
      checks = u.checks + excluded.checks, failed_checks = u.failed_checks + excluded.failed_checks,
      latency_sum_ms = u.latency_sum_ms + excluded.latency_sum_ms,
      latency_count = u.latency_count + excluded.latency_count,
      latency_max_ms = greatest(u.latency_max_ms, excluded.latency_max_ms)
  `;
}
