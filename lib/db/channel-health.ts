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

export interface ChannelHealth {
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
  uptime24h: UptimeWindow;
  uptime7d: UptimeWindow;
  uptime30d: UptimeWindow;
  /** Oldest first; days with no row are absent (no data). */
  daily: DailyUptime[];
}

/**
 * Every channel of one tenant with its current state and uptime windows, in three statements whatever
 * the number of channels: status, the last 24 hours from hourly rollups, and 90 days of daily rollups.
 */
export async function listChannelHealth(db: Db, tenantId: string, now: Date, timezone: string): Promise<ChannelHealth[]> {
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  const [channels, hours, days] = await Promise.all([
    db<Omit<ChannelHealth, "uptime24h" | "uptime7d" | "uptime30d" | "daily">[]>`
      select c.id, c.display_name as "displayName", c.phone_number as "phoneNumber", c.instance_name as "instanceName",
        c.monitoring_enabled as "monitoringEnabled", coalesce(s.state, 'unknown') as state, s.reason,
        coalesce(s.since, c.created_at) as since, s.last_checked_at as "lastCheckedAt", s.latency_ms as "latencyMs",
        s.silent_since as "silentSince"
      from public.channels c left join public.channel_status s on s.channel_id = c.id
      where c.tenant_id = ${tenantId}
    `,
    db<{ channelId: string; up: number; observed: number }[]>`
      select channel_id as "channelId", sum(up_seconds)::int as up,
        sum(up_seconds + degraded_seconds + down_seconds)::int as observed
      from public.channel_uptime_hourly
      where tenant_id = ${tenantId} and hour >= date_trunc('hour', ${dayAgo}::timestamptz)
      group by channel_id
    `,
    // One row per channel with its days as JSON ([day, up, degraded, down], oldest first): 200 rows
    // instead of 18,000 makes this read several times cheaper to ship and parse.
    db<{ channelId: string; days: [string, number, number, number][] }[]>`
      select channel_id as "channelId",
        json_agg(json_build_array(day, up_seconds, degraded_seconds, down_seconds) order by day) as days
      from public.channel_uptime_daily
      where tenant_id = ${tenantId}
        and day > (${now}::timestamptz at time zone ${timezone})::date - 90
      group by channel_id
    `,
  ]);
  const today = localDateString(now, timezone);
  const byChannel = new Map<string, DailyUptime[]>();
  for (const { channelId, days: list } of days) {
    byChannel.set(channelId, list.map(([day, upSeconds, degradedSeconds, downSeconds]) => ({ day, upSeconds, degradedSeconds, downSeconds })));
  }
  const last24 = new Map(hours.map((h) => [h.channelId, { upSeconds: h.up, observedSeconds: h.observed }]));
  return channels.map((channel) => {
    const daily = byChannel.get(channel.id) ?? [];
    return {
      ...channel,
      uptime24h: last24.get(channel.id) ?? { upSeconds: 0, observedSeconds: 0 },
      uptime7d: sumDays(daily, today, 7),
      uptime30d: sumDays(daily, today, 30),
      daily,
    };
  });
}

function localDateString(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

function sumDays(daily: DailyUptime[], today: string, count: number): UptimeWindow {
  const first = new Date(`${today}T00:00:00Z`);
  first.setUTCDate(first.getUTCDate() - (count - 1));
  const from = first.toISOString().slice(0, 10);
  let up = 0;
  let observed = 0;
  for (const day of daily) {
    if (day.day < from) continue;
    up += day.upSeconds;
    observed += day.upSeconds + day.degradedSeconds + day.downSeconds;
  }
  return { upSeconds: up, observedSeconds: observed };
}

/** Worst first: what needs a person, then what is down, then the rest; by name within a state. */
export const SEVERITY: Record<ChannelState, number> = {
  needs_qr: 0, replaced: 1, misconfigured: 2, disconnected: 3, provider_down: 4, connecting: 5, unknown: 6,
  paused: 7, connected: 8,
};

export function worstFirst<T extends { state: ChannelState; displayName: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => SEVERITY[a.state] - SEVERITY[b.state] || a.displayName.localeCompare(b.displayName, "pt-BR"));
}
