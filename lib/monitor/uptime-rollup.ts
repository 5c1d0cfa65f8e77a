import { healthOf, type ChannelState } from "@/lib/monitor/states";
import { usableTimeZone } from "@/lib/monitor/time-zone";
import type { RollupIncrement } from "@/lib/monitor/types";

const HOUR_MS = 3_600_000;

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of `at` in `timezone` (in UTC when that zone does not exist). */
export function localDay(at: Date, timezone: string): string {
  let format = dayFormatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: usableTimeZone(timezone), year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(timezone, format);
  }
  return format.format(at);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far the wall clock of `timezone` is ahead of UTC at `at`, in ms (whole seconds). */
function zoneOffsetMs(at: number, timezone: string): number {
  let format = offsetFormatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: usableTimeZone(timezone), hourCycle: "h23",
      year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    offsetFormatters.set(timezone, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second) - Math.floor(at / 1000) * 1000;
}

/** The first local midnight of `timezone` after `at` (where PostgreSQL's `date::timestamp at time zone` puts it). */
function nextLocalMidnight(at: number, timezone: string): number {
  const [year, month, day] = localDay(new Date(at), timezone).split("-").map(Number);
  const wall = Date.UTC(year, month - 1, day + 1);
  const guess = wall - zoneOffsetMs(wall, timezone);
  return wall - zoneOffsetMs(guess, timezone);
}

function emptyIncrement(channelId: string, tenantId: string, bucket: string): RollupIncrement {
  return {
    channelId, tenantId, bucket,
    upSeconds: 0, degradedSeconds: 0, downSeconds: 0,
    checks: 0, failedChecks: 0, latencySumMs: 0, latencyCount: 0, latencyMaxMs: 0,
  };
}

/**
 * Longer than this between two observations, nobody was watching: the gap stays "no data". Three
 * intervals, the same rule as the liveness banner, so time the banner calls "not running" is never up.
 * (A once-a-minute cron over 30 s channels leaves 60 s gaps: still counted.)
 */
export function maxAccountingGapMs(checkIntervalSeconds: number): number {
  return 3 * checkIntervalSeconds * 1000;
}

export interface AccountingInput {
  channelId: string;
  tenantId: string;
  timezone: string;
  /** The state the channel was in over the interval being accounted. */
  state: ChannelState;
  from: Date | null;
  to: Date;
  /** A longer silence means nobody was watching: it stays "no data", never up. */
  maxGapMs: number;
  /**
   * "Connected but silent" from this instant on: time after it that would count as up counts as
   * degraded instead. Null or absent: no silence in the interval.
   */
  degradedFrom?: Date | null;
  check?: { failed: boolean; latencyMs: number | null };
}

/**
 * Whole seconds in [start, end]: the second boundaries crossed, each standing for the second it ends.
 * Consecutive intervals share their boundary (each starts at the `accounted_until` the previous one
 * wrote), so these telescope: any chain of them adds up to exactly the whole seconds between its ends,
 * however short each piece. Rounding each piece instead lost or invented up to half a second per piece.
 */
function wholeSecondsBetween(start: number, end: number): number {
  return Math.floor(end / 1000) - Math.floor(start / 1000);
}

/**
 * Time-weighted uptime: the seconds in [from, to] go to the state the channel was in, split at UTC hour
 * boundaries (hourly rows) and local midnights, and attributed to the tenant's local date of each piece
 * (daily rows). Always whole seconds, counted on the second boundaries (see wholeSecondsBetween), never
 * rounded per piece. public.uptime_pieces (supabase/migrations/20261202003000_quiet_checks.sql) is the
 * same split in SQL, which is where the monitor and the webhook receiver account time now; this one is
 * its reference (lib/db/uptime-pieces.int.test.ts holds them to each other).
 */
export function accountInterval(input: AccountingInput): { hourly: RollupIncrement[]; daily: RollupIncrement[] } {
  const hourly = new Map<string, RollupIncrement>();
  const daily = new Map<string, RollupIncrement>();
  const bucket = (map: Map<string, RollupIncrement>, key: string) => {
    let row = map.get(key);
    if (!row) map.set(key, (row = emptyIncrement(input.channelId, input.tenantId, key)));
    return row;
  };
  const health = healthOf(input.state);
  const gap = input.from ? input.to.getTime() - input.from.getTime() : Infinity;
  if (input.from && gap > 0 && gap <= input.maxGapMs && health !== "none") {
    let start = input.from.getTime();
    const end = input.to.getTime();
    const silentFrom = health === "up" && input.degradedFrom ? input.degradedFrom.getTime() : Infinity;
    while (start < end) {
      const hourStart = Math.floor(start / HOUR_MS) * HOUR_MS;
      // Pieces never straddle an hour boundary, a local midnight (zones whose offset is not whole hours)
      // nor the start of a silence.
      const pieceEnd = Math.min(
        end, hourStart + HOUR_MS, nextLocalMidnight(start, input.timezone), start < silentFrom ? silentFrom : Infinity,
      );
      const seconds = wholeSecondsBetween(start, pieceEnd);
      const pieceHealth = start >= silentFrom ? "degraded" : health;
      for (const row of [
        bucket(hourly, new Date(hourStart).toISOString()),
        bucket(daily, localDay(new Date(start), input.timezone)),
      ]) {
        if (pieceHealth === "up") row.upSeconds += seconds;
        else if (pieceHealth === "degraded") row.degradedSeconds += seconds;
        else row.downSeconds += seconds;
      }
      start = pieceEnd;
    }
  }
  if (input.check) {
    const at = input.to;
    for (const row of [
      bucket(hourly, new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS).toISOString()),
      bucket(daily, localDay(at, input.timezone)),
    ]) {
      row.checks += 1;
      if (input.check.failed) row.failedChecks += 1;
      if (input.check.latencyMs !== null) {
        row.latencySumMs += input.check.latencyMs;
        row.latencyCount += 1;
        row.latencyMaxMs = Math.max(row.latencyMaxMs, input.check.latencyMs);
      }
    }
  }
  return { hourly: [...hourly.values()], daily: [...daily.values()] };
}
