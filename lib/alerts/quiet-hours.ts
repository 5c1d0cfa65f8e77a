/**
 * Quiet hours, in the tenant's time zone: "22:00-07:00" holds alerts from 22:00 until 07:00 the next
 * morning (a period may cross midnight). Pure: the clock comes in. What must stay true:
 * - a time inside the period answers the instant the period ends, local wall time, DST included (the
 *   instant whose local time is the end, the first such one after `now`);
 * - the end itself is outside (07:00 sends), and start = end means no quiet hours at all.
 */

export interface QuietHours {
  /** "HH:MM", 24-hour, local. */
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseQuietHours(text: string): QuietHours | null {
  const match = /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(text);
  if (!match) return null;
  const [start, end] = [match[1].padStart(5, "0"), match[2].padStart(5, "0")];
  return HHMM.test(start) && HHMM.test(end) ? { start, end } : null;
}

function minutesOf(hhmm: string): number {
  const match = HHMM.exec(hhmm.slice(0, 5));
  if (!match) throw new Error(`not a time of day: ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The wall-clock minute of the day (0–1439) and second at `at` in `timeZone`. */
function localClock(at: Date, timeZone: string): { minute: number; second: number } {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
    .formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { minute: get("hour") * 60 + get("minute"), second: get("second") };
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** When the quiet period `now` falls in ends, or null when `now` is not in one. */
export function quietUntil(now: Date, timeZone: string, quiet: QuietHours | null): Date | null {
  if (!quiet) return null;
  const zone = safeZone(timeZone);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const { minute, second } = localClock(now, zone);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  const wait = (end - minute + 1440) % 1440;
  let candidate = new Date(now.getTime() + wait * 60_000 - second * 1000 - now.getUTCMilliseconds());
  // A DST change inside the wait moves the wall clock by its size: correct by what the clock then says.
  for (let i = 0; i < 2; i++) {
    const drift = ((end - localClock(candidate, zone).minute + 1440 + 720) % 1440) - 720;
    if (drift === 0) break;
    candidate = new Date(candidate.getTime() + drift * 60_000);
  }
  return candidate.getTime() > now.getTime() ? candidate : new Date(now.getTime() + 60_000);
}
