import type { DailyUptime, UptimeWindow } from "@/lib/db/channel-health";

export type DayColor = "green" | "amber" | "red" | "grey";

/** Less than 5 observed minutes in a day is not enough to colour it. */
const MIN_OBSERVED_SECONDS = 300;

/** A window observed for less than this has no uptime figure ("no data"). */
export const MIN_RATIO_OBSERVED_SECONDS = 60;
/** At or above this share of observed time up, a window (or a day) counts as good. */
export const GOOD_UPTIME = 0.99;

export function uptimeRatio(window: UptimeWindow): number | null {
  return window.observedSeconds >= MIN_RATIO_OBSERVED_SECONDS ? window.upSeconds / window.observedSeconds : null;
}

export function dayColor(day: DailyUptime | undefined): DayColor {
  if (!day) return "grey";
  const observed = day.upSeconds + day.degradedSeconds + day.downSeconds;
  if (observed < MIN_OBSERVED_SECONDS) return "grey";
  const ratio = day.upSeconds / observed;
  if (ratio >= 0.99) return "green";
  if (ratio >= 0.9) return "amber";
  return "red";
}

/** The last `count` local dates ending today, oldest first, each with its rollup if there is one. */
export function lastDays(daily: DailyUptime[], today: string, count = 90): { day: string; data?: DailyUptime }[] {
  const byDay = new Map(daily.map((d) => [d.day, d]));
  const end = new Date(`${today}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const date = new Date(end);
    date.setUTCDate(end.getUTCDate() - (count - 1 - i));
    const day = date.toISOString().slice(0, 10);
    return { day, data: byDay.get(day) };
  });
}

// Building an Intl.NumberFormat costs far more than using one; a page formats hundreds of figures.
const percentFormats = new Map<string, Intl.NumberFormat>();

export function formatPercent(ratio: number | null, locale: string, noData: string): string {
  if (ratio === null) return noData;
  const digits = ratio >= 0.999 && ratio < 1 ? 2 : 1;
  const key = `${locale}|${digits}`;
  let format = percentFormats.get(key);
  if (!format) percentFormats.set(key, (format = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits })));
  return format.format(ratio);
}

export function localToday(now: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export type UptimeTone = "good" | "warn" | "bad" | "none";

/** The same thresholds as the day colours, for a window's figure. */
export function uptimeTone(ratio: number | null): UptimeTone {
  if (ratio === null) return "none";
  if (ratio >= GOOD_UPTIME) return "good";
  if (ratio >= 0.9) return "warn";
  return "bad";
}
