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

export function upsertHourlyRollups(sql: Db, rows: ReturnType<typeof rollupRows>, onlyFor: postgres.Fragment) {
  return sql`
    insert into public.channel_uptime_hourly as h (channel_id, tenant_id, hour, up_seconds, degraded_seconds,
      down_seconds, checks, failed_checks, latency_sum_ms, latency_count, latency_max_ms)
    select r.channel_id, r.tenant_id, r.bucket::timestamptz, r.up, r.degraded, r.down, r.checks, r.failed,
      r.lat_sum, r.lat_n, r.lat_max
    from jsonb_to_recordset(${json(rows)}::text::jsonb) as r(channel_id uuid, tenant_id uuid, bucket text,
      up integer, degraded integer, down integer, checks integer, failed integer, lat_sum bigint, lat_n integer,
      lat_max integer)
    where r.channel_id in (${onlyFor})
    on conflict (channel_id, hour) do update set
      up_seconds = h.up_seconds + excluded.up_seconds,
      degraded_seconds = h.degraded_seconds + excluded.degraded_seconds,
      down_seconds = h.down_seconds + excluded.down_seconds,
      checks = h.checks + excluded.checks, failed_checks = h.failed_checks + excluded.failed_checks,
      latency_sum_ms = h.latency_sum_ms + excluded.latency_sum_ms,
      latency_count = h.latency_count + excluded.latency_count,
      latency_max_ms = greatest(h.latency_max_ms, excluded.latency_max_ms)
  `;
}

export function upsertDailyRollups(sql: Db, rows: ReturnType<typeof rollupRows>, onlyFor: postgres.Fragment) {
  return sql`
    insert into public.channel_uptime_daily as d (channel_id, tenant_id, day, up_seconds, degraded_seconds,
      down_seconds, checks, failed_checks, latency_sum_ms, latency_count, latency_max_ms)
    select r.channel_id, r.tenant_id, r.bucket::date, r.up, r.degraded, r.down, r.checks, r.failed,
      r.lat_sum, r.lat_n, r.lat_max
    from jsonb_to_recordset(${json(rows)}::text::jsonb) as r(channel_id uuid, tenant_id uuid, bucket text,
      up integer, degraded integer, down integer, checks integer, failed integer, lat_sum bigint, lat_n integer,
      lat_max integer)
    where r.channel_id in (${onlyFor})
    on conflict (channel_id, day) do update set
      up_seconds = d.up_seconds + excluded.up_seconds,
      degraded_seconds = d.degraded_seconds + excluded.degraded_seconds,
      down_seconds = d.down_seconds + excluded.down_seconds,
      checks = d.checks + excluded.checks, failed_checks = d.failed_checks + excluded.failed_checks,
      latency_sum_ms = d.latency_sum_ms + excluded.latency_sum_ms,
      latency_count = d.latency_count + excluded.latency_count,
      latency_max_ms = greatest(d.latency_max_ms, excluded.latency_max_ms)
  `;
}
