import type { Channel } from "@/lib/db/channels";
import type { Db } from "@/lib/db/client";
import type { DailyUptime } from "@/lib/db/channel-health";
import type { ChannelState } from "@/lib/monitor/states";
import type { CheckRecord } from "@/lib/monitor/types";

/**
 * Everything the channel page shows, read as the signed-in user (call inside withUser): RLS decides,
 * so another tenant's channel is simply not there.
 */

type ChannelFields = Pick<
  Channel,
  | "id" | "tenantId" | "provider" | "displayName" | "phoneNumber" | "gatewayUrl" | "instanceName" | "wabaId" | "monitoringEnabled"
  | "checkIntervalSeconds"
>;

export interface ChannelDetail extends ChannelFields {
  tenantName: string;
  timezone: string;
  state: ChannelState;
  reason: string | null;
  since: Date;
  lastCheckedAt: Date | null;
  latencyMs: number | null;
  qrRequestedAt: Date | null;
  /** The viewer administers this channel's tenant (what RLS requires for every write). */
  canManage: boolean;
}

export interface HourlyLatency {
  hour: Date;
  avgMs: number | null;
  maxMs: number | null;
  /** Checks that measured a latency in this hour: the weight of `avgMs`. */
  samples: number;
  checks: number;
  failedChecks: number;
}

export interface Transition {
  id: string;
  fromState: ChannelState | null;
  toState: ChannelState;
  reason: string | null;
  source: "monitor" | "webhook" | "manual";
  occurredAt: Date;
}

export interface ActionEntry {
  id: string;
  kind: string;
  trigger: "monitor" | "manual";
  actorUserId: string | null;
  actorEmail: string | null;
  requestedAt: Date;
  outcome: "ok" | "failed" | "skipped";
  detail: string | null;
}

/** A raw check as the monitor recorded it, with its row id. */
export interface CheckEntry extends Omit<CheckRecord, "channelId" | "tenantId"> {
  id: string;
}

export async function getChannelDetail(db: Db, id: string): Promise<ChannelDetail | null> {
  const [row] = await db<ChannelDetail[]>`
    select c.id, c.tenant_id as "tenantId", t.name as "tenantName", t.timezone, c.display_name as "displayName",
      c.phone_number as "phoneNumber", c.gateway_url as "gatewayUrl", c.instance_name as "instanceName",
      c.provider, c.waba_id as "wabaId",
      c.monitoring_enabled as "monitoringEnabled", c.check_interval_seconds as "checkIntervalSeconds",
      coalesce(s.state, 'unknown') as state, s.reason, coalesce(s.since, c.created_at) as since,
      s.last_checked_at as "lastCheckedAt", s.latency_ms as "latencyMs", s.qr_requested_at as "qrRequestedAt",
      public.is_tenant_admin(c.tenant_id) as "canManage"
    from public.channels c
    join public.tenants t on t.id = c.tenant_id
    left join public.channel_status s on s.channel_id = c.id
    where c.id = ${id}
  `;
  return row ?? null;
}

/** Days in the tenant's timezone, oldest first; a day with no row had no data (never "up"). */
export function listDailyUptime(db: Db, id: string, now: Date, timezone: string, days = 90) {
  // The materialized days plus the channel's open stretch (as the channel_uptime_daily view adds them,
  // without working out every other channel's: lib/db/channel-health.ts openStretches).
  return db<DailyUptime[]>`
    select to_char(day, 'YYYY-MM-DD') as day, sum(up_seconds)::int as "upSeconds",
      sum(degraded_seconds)::int as "degradedSeconds", sum(down_seconds)::int as "downSeconds"
    from (
      select day, up_seconds, degraded_seconds, down_seconds from public.channel_uptime_days where channel_id = ${id}
      union all
      select day, up_seconds, degraded_seconds, down_seconds from public.uptime_open_stretches(array[${id}]::uuid[])
    ) pieces
    where day > (${now}::timestamptz at time zone ${timezone})::date - ${days}::int
    group by day
    order by day
  `;
}

/** Hours (UTC buckets) of the last `hours`, oldest first; an hour without checks has no row. */
export function listHourlyLatency(db: Db, id: string, now: Date, hours = 168) {
  const from = new Date(now.getTime() - hours * 3_600_000);
  return db<HourlyLatency[]>`
    select hour, case when latency_count > 0 then round(latency_sum_ms::numeric / latency_count)::int end as "avgMs",
      case when latency_count > 0 then latency_max_ms end as "maxMs", latency_count as samples, checks,
      failed_checks as "failedChecks"
    from (
      select hour, latency_sum_ms, latency_count, latency_max_ms, checks, failed_checks
      from public.channel_uptime_hours where channel_id = ${id}
      -- An hour only the open stretch has reached yet: a row without checks, as in channel_uptime_hourly.
      union all
      select distinct o.hour, 0, 0, 0, 0, 0 from public.uptime_open_stretches(array[${id}]::uuid[]) o
      where not exists (select 1 from public.channel_uptime_hours b where b.channel_id = ${id} and b.hour = o.hour)
    ) h
    where hour > date_trunc('hour', ${from}::timestamptz)
    order by hour
  `;
}

/** Newest first. */
export function listTransitions(db: Db, id: string, limit = 50) {
  return db<Transition[]>`
    select id::text, from_state as "fromState", to_state as "toState", reason, source, occurred_at as "occurredAt"
    from public.channel_events where channel_id = ${id}
    order by occurred_at desc, id desc limit ${limit}
  `;
}

/** Newest first, with the e-mail of whoever acted when the database knows it. */
export function listActions(db: Db, id: string, limit = 50) {
  return db<ActionEntry[]>`
    select a.id::text, a.kind, a.trigger, a.actor_user_id as "actorUserId", u.email as "actorEmail",
      a.requested_at as "requestedAt", a.outcome, a.detail
    from public.channel_actions a
    left join public.channel_action_actors(${id}) u on u.user_id = a.actor_user_id
    where a.channel_id = ${id}
    order by a.requested_at desc, a.id desc limit ${limit}
  `;
}

export function listRecentChecks(db: Db, id: string, limit = 20) {
  return db<CheckEntry[]>`
    select id::text, checked_at as "checkedAt", state, gateway_state as "gatewayState", reason_code as "reasonCode",
      latency_ms as "latencyMs", error_code as "errorCode", detail
    from public.channel_checks where channel_id = ${id}
    order by checked_at desc, id desc limit ${limit}
  `;
}

export interface ChannelHistory {
  daily: DailyUptime[];
  hourly: HourlyLatency[];
  transitions: Transition[];
  actions: ActionEntry[];
  checks: CheckEntry[];
}

export async function loadChannelHistory(db: Db, channel: ChannelDetail, now: Date): Promise<ChannelHistory> {
  const [daily, hourly, transitions, actions, checks] = await Promise.all([
    listDailyUptime(db, channel.id, now, channel.timezone),
    listHourlyLatency(db, channel.id, now),
    listTransitions(db, channel.id),
    listActions(db, channel.id),
    listRecentChecks(db, channel.id),
  ]);
  return { daily: [...daily], hourly: [...hourly], transitions: [...transitions], actions: [...actions], checks: [...checks] };
}
