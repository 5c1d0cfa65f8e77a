import { describe, expect, it, vi } from "vitest";
import { isValidTimeZone, usableTimeZone } from "@/lib/monitor/time-zone";
import { localDay } from "@/lib/monitor/uptime-rollup";

describe("tenant time zones", () => {
  it("knows IANA names and refuses made-up ones", () => {
    expect(isValidTimeZone("America/Sao_Paulo")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });

  it("falls back to UTC for a stored zone that does not exist, logging it once", () => {
    const log = vi.fn();
    expect(usableTimeZone("Mars/Phobos", log)).toBe("UTC");
    expect(usableTimeZone("Mars/Phobos", log)).toBe("UTC");
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toContain("Mars/Phobos");
    expect(usableTimeZone("America/Sao_Paulo", log)).toBe("America/Sao_Paulo");
  });

  it("gives the uptime rollups a day even for a zone that does not exist", () => {
    const at = new Date("2026-03-01T01:30:00Z");
    expect(localDay(at, "America/Sao_Paulo")).toBe("2026-02-28");
    expect(localDay(at, "Mars/Deimos")).toBe("2026-03-01");
  });
});
