import type { DailyUptime } from "@/lib/db/channel-health";
import type { HourlyLatency } from "@/lib/db/channel-detail";
import { lastDays } from "@/lib/format/uptime";

/** One day's bar: shares of the day in percent. What was not observed is `noData`, never up. */
export interface UptimeDay {
  day: string;
  up: number;
  degraded: number;
  down: number;
  noData: number;
  /** Nothing at all was observed that day: the chart draws a thin grey band, not a full bar. */
  empty: boolean;
}

const DAY_SECONDS = 86_400;

/** Seconds since local midnight in `timezone`: today's bar covers only the part of the day that has passed. */
export function secondsIntoLocalDay(now: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 3600 + get("minute") * 60 + get("second");
}

const pct = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;

export function uptimeByDay(daily: DailyUptime[], today: string, elapsedTodaySeconds: number, count = 90): UptimeDay[] {
  return lastDays(daily, today, count).map(({ day, data }) => {
    const length = day === today ? Math.max(1, elapsedTodaySeconds) : DAY_SECONDS;
    const observed = data ? data.upSeconds + data.degradedSeconds + data.downSeconds : 0;
    if (!data || observed === 0) return { day, up: 0, degraded: 0, down: 0, noData: 100, empty: true };
    const whole = Math.max(length, observed);
    const up = pct(data.upSeconds, whole);
    const degraded = pct(data.degradedSeconds, whole);
    const down = pct(data.downSeconds, whole);
    return { day, up, degraded, down, noData: Math.max(0, Math.round(10 * (100 - up - degraded - down)) / 10), empty: false };
  });
}

/** One slot per hour of the last `hours`, oldest first; an hour without checks stays null (a gap). */
export interface LatencyHour {
  hour: string;
  avgMs: number | null;
  maxMs: number | null;
}

export function latencyByHour(hourly: HourlyLatency[], now: Date, hours = 168): LatencyHour[] {
  const byHour = new Map(hourly.map((h) => [new Date(h.hour).getTime(), h]));
  const last = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  return Array.from({ length: hours }, (_, i) => {
    const at = last - (hours - 1 - i) * 3_600_000;
    const row = byHour.get(at);
    return { hour: new Date(at).toISOString(), avgMs: row?.avgMs ?? null, maxMs: row?.maxMs ?? null };
  });
}
