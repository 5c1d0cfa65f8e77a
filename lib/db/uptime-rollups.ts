import type postgres from "postgres";
import type { Db } from "@/lib/db/client";
import type { RollupIncrement } from "@/lib/monitor/types";

/**
 * The additive upserts into channel_uptime_hourly and channel_uptime_daily, as statement fragments,
 * so the monitor's batch and the webhook receiver write rollups the same way, each inside its own
 * single statement. `onlyFor` must restrict the rows to channels whose status row that same statement
 * really updated: a write that lost its guard must not add seconds.
 */

const json = (value: unknown) => JSON.stringify(value);

export function rollupRows(increments: RollupIncrement[]) {
  return increments.map((r) => ({
    channel_id: r.channelId, tenant_id: r.tenantId, bucket: r.bucket,
    up: Math.round(r.upSeconds), degraded: Math.round(r.degradedSeconds), down: Math.round(r.downSeconds),
    checks: r.checks, failed: r.failedChecks, lat_sum: Math.round(r.latencySumMs), lat_n: r.latencyCount,
    lat_max: Math.round(r.latencyMaxMs),
  }));
}

type Rows = ReturnType<typeof rollupRows>;

export function upsertHourlyRollups(sql: Db, rows: Rows, onlyFor: postgres.Fragment) {
  return upsertRollups(sql, "hourly", rows, onlyFor);
}

export function upsertDailyRollups(sql: Db, rows: Rows, onlyFor: postgres.Fragment) {
  return upsertRollups(sql, "daily", rows, onlyFor);
}

/** One additive upsert for either grain: UTC hours, or the tenant's local days. */
function upsertRollups(sql: Db, grain: "hourly" | "daily", rows: Rows, onlyFor: postgres.Fragment) {
  const table = sql(grain === "hourly" ? "public.channel_uptime_hourly" : "public.channel_uptime_daily");
  const column = sql(grain === "hourly" ? "hour" : "day");
  const bucket = grain === "hourly" ? sql`r.bucket::timestamptz` : sql`r.bucket::date`;
  return sql`
    insert into ${table} as u (channel_id, tenant_id, ${column}, up_seconds, degraded_seconds,
      down_seconds, checks, failed_checks, latency_sum_ms, latency_count, latency_max_ms)
    select r.channel_id, r.tenant_id, ${bucket}, r.up, r.degraded, r.down, r.checks, r.failed,
      r.lat_sum, r.lat_n, r.lat_max
    from jsonb_to_recordset(${json(rows)}::text::jsonb) as r(channel_id uuid, tenant_id uuid, bucket text,
      up integer, degraded integer, down integer, checks integer, failed integer, lat_sum bigint, lat_n integer,
      lat_max integer)
    where r.channel_id in (${onlyFor})
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
