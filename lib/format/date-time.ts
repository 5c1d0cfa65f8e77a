import { resolveLocale, type Locale } from "@/i18n/locales";

/**
 * The one way a date and time reads on any page: pt-BR `30/11/2026 09:19`, en `Nov 30, 2026, 9:19 AM`,
 * always in the tenant's timezone (the zone itself is never printed: admins find it in the technical
 * details). A time of day alone is `09:19` / `9:19 AM`. Relative times read as people say them:
 * "agora", "há 1 minuto", "1 minute ago", "em 2 minutos".
 * Pure (no next-intl): server components, client components and tests all get the same words.
 */

const DATE_TIME: Record<Locale, Intl.DateTimeFormatOptions> = {
  "pt-BR": { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  en: { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit", hour12: true },
};

const TIME: Record<Locale, Intl.DateTimeFormatOptions> = {
  "pt-BR": { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  en: { hour: "numeric", minute: "2-digit", hour12: true },
};

// Building an Intl formatter costs far more than using one; a page formats hundreds of dates.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: "dateTime" | "time" | "day", locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}|${timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    const options = kind === "dateTime" ? DATE_TIME[locale] : kind === "time" ? TIME[locale] : { year: "numeric", month: "2-digit", day: "2-digit" } as const;
    found = new Intl.DateTimeFormat(kind === "day" ? "en-CA" : locale, { ...options, timeZone });
    formatters.set(key, found);
  }
  return found;
}

/** Some ICU versions put a narrow no-break space before AM/PM: one text whatever the runtime. */
const plainSpaces = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

/** `30/11/2026 09:19` (pt-BR: no comma between date and time) or `Nov 30, 2026, 9:19 AM`. */
export function formatDateTime(at: Date, locale: string, timeZone: string): string {
  const lang = resolveLocale(locale);
  const parts = formatter("dateTime", lang, timeZone).formatToParts(at);
  if (lang === "pt-BR") {
    const value = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
    return `${value("day")}/${value("month")}/${value("year")} ${value("hour")}:${value("minute")}`;
  }
  return plainSpaces(parts.map((p) => p.value).join(""));
}

/** `09:19` or `9:19 AM`. */
export function formatTimeOfDay(at: Date, locale: string, timeZone: string): string {
  return plainSpaces(formatter("time", resolveLocale(locale), timeZone).format(at));
}

/** The time of day when `at` is today in the tenant's zone ("desde 09:19"), else the full date and time. */
export function formatMoment(at: Date, now: Date, locale: string, timeZone: string): string {
  const day = formatter("day", "en", timeZone);
  return day.format(at) === day.format(now) ? formatTimeOfDay(at, locale, timeZone) : formatDateTime(at, locale, timeZone);
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function relative(locale: Locale, numeric: "always" | "auto"): Intl.RelativeTimeFormat {
  const key = `${locale}|${numeric}`;
  let found = relativeFormats.get(key);
  if (!found) relativeFormats.set(key, (found = new Intl.RelativeTimeFormat(locale, { numeric })));
  return found;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number, number][] = [
  // unit, its length in seconds, how many of it before the next unit takes over
  ["second", 1, 60],
  ["minute", 60, 60],
  ["hour", 3_600, 24],
  ["day", 86_400, 30],
  ["month", 2_592_000, 12],
  ["year", 31_536_000, Infinity],
];

/**
 * "agora" / "now" within 10 seconds, then "há 30 segundos", "há 1 minuto", "há 3 horas", "há 2 dias"
 * (never "ontem": 30 hours ago may be two calendar days back), and "em 2 minutos" ahead.
 */
export function formatRelative(at: Date, now: Date, locale: string): string {
  const lang = resolveLocale(locale);
  const seconds = (at.getTime() - now.getTime()) / 1000;
  if (Math.abs(seconds) < 10) return relative(lang, "auto").format(0, "second");
  const [unit, size] = UNITS.find(([, length, limit]) => Math.round(Math.abs(seconds) / length) < limit) ?? UNITS[UNITS.length - 1];
  return relative(lang, "always").format(Math.sign(seconds) * Math.round(Math.abs(seconds) / size), unit);
}
