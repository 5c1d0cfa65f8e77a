import { describe, expect, it } from "vitest";
import { formatDateTime, formatMoment, formatRelative, formatTimeOfDay } from "@/lib/format/date-time";

const AT = new Date("2026-11-30T12:19:42Z"); // 09:19 in São Paulo
const SP = "America/Sao_Paulo";

describe("formatDateTime", () => {
  it("reads 30/11/2026 09:19 in pt-BR and Nov 30, 2026, 9:19 AM in en, in the tenant's zone", () => {
    expect(formatDateTime(AT, "pt-BR", SP)).toBe("30/11/2026 09:19");
    expect(formatDateTime(AT, "en", SP)).toBe("Nov 30, 2026, 9:19 AM");
    expect(formatDateTime(new Date("2026-11-30T03:05:00Z"), "pt-BR", "UTC")).toBe("30/11/2026 03:05");
    expect(formatDateTime(new Date("2026-11-30T15:05:00Z"), "en", "UTC")).toBe("Nov 30, 2026, 3:05 PM");
  });

  it("treats an unknown language as pt-BR, the default", () => {
    expect(formatDateTime(AT, "fr", SP)).toBe("30/11/2026 09:19");
  });
});

describe("formatMoment", () => {
  it("gives the time alone for today in the tenant's zone, the date too otherwise", () => {
    expect(formatTimeOfDay(AT, "pt-BR", SP)).toBe("09:19");
    expect(formatTimeOfDay(AT, "en", SP)).toBe("9:19 AM");
    expect(formatMoment(AT, new Date("2026-11-30T20:00:00Z"), "pt-BR", SP)).toBe("09:19");
    // 02:30 UTC on Dec 1 is still Nov 30 in São Paulo; 04:00 UTC is not.
    expect(formatMoment(AT, new Date("2026-12-01T02:30:00Z"), "en", SP)).toBe("9:19 AM");
    expect(formatMoment(AT, new Date("2026-12-01T04:00:00Z"), "en", SP)).toBe("Nov 30, 2026, 9:19 AM");
  });
});

describe("formatRelative", () => {
  const ago = (seconds: number, locale = "pt-BR") => formatRelative(new Date(AT.getTime() - seconds * 1000), AT, locale);

  it.each([
    [0, "agora", "now"],
    [9, "agora", "now"],
    [30, "há 30 segundos", "30 seconds ago"],
    [60, "há 1 minuto", "1 minute ago"],
    [89, "há 1 minuto", "1 minute ago"],
    [59 * 60 + 50, "há 1 hora", "1 hour ago"],
    [3 * 3600, "há 3 horas", "3 hours ago"],
    [30 * 3600, "há 1 dia", "1 day ago"],
    [45 * 86_400, "há 2 meses", "2 months ago"],
    [400 * 86_400, "há 1 ano", "1 year ago"],
  ])("%d s ago: %s / %s", (seconds, pt, en) => {
    expect(ago(seconds)).toBe(pt);
    expect(ago(seconds, "en")).toBe(en);
  });

  it("says the future as 'em 2 minutos'", () => {
    expect(ago(-120)).toBe("em 2 minutos");
    expect(ago(-120, "en")).toBe("in 2 minutes");
  });
});
