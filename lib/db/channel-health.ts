import type { Db } from "@/lib/db/client";
import type { ChannelState } from "@/lib/monitor/states";

export interface UptimeWindow {
  upSeconds: number;
  observedSeconds: number;
}

export interface DailyUptime {
  day: string;
  upSeconds: number;
  degradedSeconds: number;
  downSeconds: number;
}

/** A channel as /channels lists, filters and sorts it by state, name or last change. */
export interface ListedChannel {
  id: string;
  displayName: string;
  phoneNumber: string | null;
  instanceName: string;
  monitoringEnabled: boolean;
  state: ChannelState;
  reason: string | null;
  since: Date;
  lastCheckedAt: Date | null;
  latencyMs: number | null;
  /** Connected but silent: no gateway event since then, longer than the channel's threshold. Show degraded. */
  silentSince: Date | null;
}

export interface UptimeWindows {
  uptime24h: UptimeWindow;
  uptime7d: UptimeWindow;
  uptime30d: UptimeWindow;
}

export type ChannelSummary = ListedChannel & UptimeWindows;

export interface ChannelHealth extends ChannelSummary {
  /** Oldest first; days with no row are absent (no data). */
  daily: DailyUptime[];
}

const NO_WINDOW: UptimeWindow = { upSeconds: 0, observedSeconds: 0 };
export const NO_WINDOWS: UptimeWindows = { uptime24h: NO_WINDOW, uptime7d: NO_WINDOW, uptime30d: NO_WINDOW };

/** The tenant's calendar day of `now` (YYYY-MM-DD). */
function localDateString(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** Every channel of one tenant with its current state: one statement, one narrow row per channel. */
export function listChannels(db: Db, tenantId: string) {
  return db<ListedChannel[]>`
    select c.id, c.display_name as "displayName", c.phone_number as "phoneNumber", c.instance_name as "instanceName",
      c.monitoring_enabled as "monitoringEnabled", coalesce(s.state, 'unknown') as state, s.reason,
      coalesce(s.since, c.created_at) as since, s.last_checked_at as "lastCheckedAt", s.latency_ms as "latencyMs",
      s.silent_since as "silentSince"
    from public.channels c left join public.channel_status s on s.channel_id = c.id
    where c.tenant_id = ${tenantId}
  `;
}

/**
 * The given channels' open stretches (public.uptime_open_stretches: watched since their uptime was last
 * materialized), in hour and day pieces, worked out for these channels only. The channel_uptime_hourly/_daily views add these to the
 * materialized rows; the readers below add them up themselves instead, over the materialized tables,
 * so one statement works the open stretches out once rather than once per view (at 1,000 channels a
 * view read costs ~35 ms against ~10 ms for its table plus ~7 ms for the stretches). Same seconds.
 */
function openStretches(db: Db, tenantId: string, ids: string[]) {
  return db`
    select channel_id, hour, day, up_seconds, degraded_seconds, down_seconds
    from public.uptime_open_stretches(${ids}::uuid[]) where tenant_id = ${tenantId}`;
}

/**
 * The 24-hour, 7-day and 30-day uptime of the given channels (a page of /channels, or all of them to
 * sort or export), summed in the database in one statement: one row per channel, never its hours or
 * days. The 7 and 30 days are local days ending today, today included, in the tenant's calendar; the
 * 24 hours are the hourly rollups from the hour 24 hours ago on. A channel with no rollup has none.
 */
export async function listUptimeWindows(
  db: Db, tenantId: string, channelIds: readonly string[], now: Date, timezone: string,
): Promise<Map<string, UptimeWindows>> {
  if (channelIds.length === 0) return new Map();
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  const today = localDateString(now, timezone);
  const ids = channelIds as string[];
  const rows = await db<{ channelId: string; up24: number; observed24: number; up7: number; observed7: number; up30: number; observed30: number }[]>`
    with open as materialized (${openStretches(db, tenantId, ids)}),
    hours as (
      select channel_id, sum(up_seconds)::int as up24, sum(up_seconds + degraded_seconds + down_seconds)::int as observed24
      from (
        select channel_id, up_seconds, degraded_seconds, down_seconds from public.channel_uptime_hours
        where tenant_id = ${tenantId} and channel_id = any(${ids}::uuid[]) and hour >= date_trunc('hour', ${dayAgo}::timestamptz)
        union all
        select channel_id, up_seconds, degraded_seconds, down_seconds from open where hour >= date_trunc('hour', ${dayAgo}::timestamptz)
      ) h
      group by channel_id
    ), days as (
      select channel_id,
        coalesce(sum(up_seconds) filter (where day > ${today}::date - 7), 0)::int as up7,
        coalesce(sum(up_seconds + degraded_seconds + down_seconds) filter (where day > ${today}::date - 7), 0)::int as observed7,
        sum(up_seconds)::int as up30, sum(up_seconds + degraded_seconds + down_seconds)::int as observed30
      from (
        select channel_id, day, up_seconds, degraded_seconds, down_seconds from public.channel_uptime_days
        where tenant_id = ${tenantId} and channel_id = any(${ids}::uuid[]) and day > ${today}::date - 30
        union all
        select channel_id, day, up_seconds, degraded_seconds, down_seconds from open where day > ${today}::date - 30
      ) d
      group by channel_id
    )
    select channel_id as "channelId", coalesce(up24, 0) as up24, coalesce(observed24, 0) as observed24,
      coalesce(up7, 0) as up7, coalesce(observed7, 0) as observed7, coalesce(up30, 0) as up30, coalesce(observed30, 0) as observed30
    from hours full join days using (channel_id)
  `;
  return new Map(rows.map((r) => [r.channelId, {
    uptime24h: { upSeconds: r.up24, observedSeconds: r.observed24 },
    uptime7d: { upSeconds: r.up7, observedSeconds: r.observed7 },
    uptime30d: { upSeconds: r.up30, observedSeconds: r.observed30 },
  }]));
}

/** Every channel of one tenant with its current state and uptime windows (to sort by uptime, or export): two statements. */
export async function listChannelSummaries(db: Db, tenantId: string, now: Date, timezone: string): Promise<ChannelSummary[]> {
  const channels = await listChannels(db, tenantId);
  const windows = await listUptimeWindows(db, tenantId, channels.map((c) => c.id), now, timezone);
  return channels.map((channel) => ({ ...channel, ...(windows.get(channel.id) ?? NO_WINDOWS) }));
}

/**
 * The last `days` local days of the given channels (one page of /channels, not the whole tenant), in
 * one statement: one row per channel with its days as JSON ([day, up, degraded, down], oldest first).
 * A channel or day with no rollup is absent: no data, never up.
 */
export async function listDailyUptimes(
  db: Db, tenantId: string, channelIds: readonly string[], now: Date, timezone: string, days = 90,
): Promise<Map<string, DailyUptime[]>> {
  if (channelIds.length === 0) return new Map();
  const ids = channelIds as string[];
  const from = localDateString(now, timezone);
  const rows = await db<{ channelId: string; days: [string, number, number, number][] }[]>`
    select channel_id as "channelId",
      json_agg(json_build_array(day, up_seconds, degraded_seconds, down_seconds) order by day) as days
    from (
      select channel_id, day, sum(up_seconds)::int as up_seconds, sum(degraded_seconds)::int as degraded_seconds,
        sum(down_seconds)::int as down_seconds
      from (
        select channel_id, day, up_seconds, degraded_seconds, down_seconds from public.channel_uptime_days
        where tenant_id = ${tenantId} and channel_id = any(${ids}::uuid[]) and day > ${from}::date - ${days}::int
        union all
        select channel_id, day, up_seconds, degraded_seconds, down_seconds from (${openStretches(db, tenantId, ids)}) o
        where day > ${from}::date - ${days}::int
      ) pieces
      group by channel_id, day
    ) d
    group by channel_id
  `;
  return new Map(rows.map(({ channelId, days: list }) => [
    channelId,
    list.map(([day, upSeconds, degradedSeconds, downSeconds]) => ({ day, upSeconds, degradedSeconds, downSeconds })),
  ]));
}

/** Every channel of one tenant with its windows and 90 days: the summaries and every channel's days. */
export async function listChannelHealth(db: Db, tenantId: string, now: Date, timezone: string): Promise<ChannelHealth[]> {
  const channels = await listChannelSummaries(db, tenantId, now, timezone);
  const daily = await listDailyUptimes(db, tenantId, channels.map((c) => c.id), now, timezone);
  return channels.map((channel) => ({ ...channel, daily: daily.get(channel.id) ?? [] }));
}

/** Worst first: what needs a person, then what is down, then the rest (lib/channels/select-channels.ts adds: by name within a state). */
export const SEVERITY: Record<ChannelState, number> = {
  needs_qr: 0, replaced: 1, misconfigured: 2, disconnected: 3, provider_down: 4, connecting: 5, unknown: 6,
  paused: 7, connected: 8,
  // blocked needs a person like needs_qr; restricted is up but at risk, after connecting.
  blocked: 0.5, restricted: 5.5,
};
