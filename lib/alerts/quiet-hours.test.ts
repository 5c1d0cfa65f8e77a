import { describe, expect, it } from "vitest";
import { parseQuietHours, quietUntil } from "@/lib/alerts/quiet-hours";

const SP = "America/Sao_Paulo"; // UTC-3, no DST since 2019

describe("quiet hours", () => {
  it("parses HH:MM-HH:MM and refuses anything else", () => {
    expect(parseQuietHours("22:00-07:00")).toEqual({ start: "22:00", end: "07:00" });
    expect(parseQuietHours(" 7:30 - 9:00 ")).toEqual({ start: "07:30", end: "09:00" });
    expect(parseQuietHours("24:00-07:00")).toBeNull();
    expect(parseQuietHours("22:00")).toBeNull();
    expect(parseQuietHours("22h-7h")).toBeNull();
  });

  it("a period across midnight holds until its end the next morning, local time", () => {
    const quiet = { start: "22:00", end: "07:00" };
    // 23:10 in São Paulo → 07:00 next day local = 10:00 UTC.
    expect(quietUntil(new Date("2026-03-07T02:10:00Z"), SP, quiet)?.toISOString()).toBe("2026-03-07T10:00:00.000Z");
    // 03:00 local → 07:00 the same day.
    expect(quietUntil(new Date("2026-03-07T06:00:00Z"), SP, quiet)?.toISOString()).toBe("2026-03-07T10:00:00.000Z");
    // 07:00 sharp is outside; 21:59 too.
    expect(quietUntil(new Date("2026-03-07T10:00:00Z"), SP, quiet)).toBeNull();
    expect(quietUntil(new Date("2026-03-07T00:59:00Z"), SP, quiet)).toBeNull();
    // 22:00 sharp is inside.
    expect(quietUntil(new Date("2026-03-07T01:00:00Z"), SP, quiet)?.toISOString()).toBe("2026-03-07T10:00:00.000Z");
  });

  it("a daytime period holds within the same day", () => {
    const quiet = { start: "12:00", end: "14:00" };
    expect(quietUntil(new Date("2026-03-07T16:30:45Z"), SP, quiet)?.toISOString()).toBe("2026-03-07T17:00:00.000Z");
    expect(quietUntil(new Date("2026-03-07T17:30:00Z"), SP, quiet)).toBeNull();
  });

  it("start = end or none means no quiet hours", () => {
    expect(quietUntil(new Date("2026-03-07T02:10:00Z"), SP, { start: "08:00", end: "08:00" })).toBeNull();
    expect(quietUntil(new Date("2026-03-07T02:10:00Z"), SP, null)).toBeNull();
  });

  it("a DST change inside the period still ends at the local end time", () => {
    // Europe/Lisbon springs forward on 2026-03-29 at 01:00 → 02:00 (UTC+0 → UTC+1).
    const quiet = { start: "23:00", end: "07:00" };
    const until = quietUntil(new Date("2026-03-28T23:30:00Z"), "Europe/Lisbon", quiet);
    expect(until?.toISOString()).toBe("2026-03-29T06:00:00.000Z"); // 07:00 WEST
  });

  it("an unknown time zone is read as UTC rather than throwing", () => {
    expect(quietUntil(new Date("2026-03-07T23:00:00Z"), "Mars/Olympus", { start: "22:00", end: "07:00" })?.toISOString()).toBe(
      "2026-03-08T07:00:00.000Z",
    );
  });
});
