import { describe, expect, it } from "vitest";
import { latencyByHour, secondsIntoLocalDay, uptimeByDay } from "@/lib/format/channel-charts";
import { formatDuration } from "@/lib/format/duration";

describe("uptimeByDay", () => {
  it("shows days without rollups as no data (empty days), and unobserved time of a day as no data too", () => {
    const days = uptimeByDay(
      [
        { day: "2026-03-08", upSeconds: 0, degradedSeconds: 0, downSeconds: 0 },
        { day: "2026-03-09", upSeconds: 43_200, degradedSeconds: 0, downSeconds: 0 },
      ],
      "2026-03-10", 3_600, 4,
    );
    expect(days).toEqual([
      { day: "2026-03-07", up: 0, degraded: 0, down: 0, noData: 100, empty: true },
      { day: "2026-03-08", up: 0, degraded: 0, down: 0, noData: 100, empty: true },
      { day: "2026-03-09", up: 50, degraded: 0, down: 0, noData: 50, empty: false },
      { day: "2026-03-10", up: 0, degraded: 0, down: 0, noData: 100, empty: true },
    ]);
  });

  it("measures today against the part of it that has passed", () => {
    const [today] = uptimeByDay(
      [{ day: "2026-03-10", upSeconds: 2_700, degradedSeconds: 0, downSeconds: 900 }], "2026-03-10", 3_600, 1,
    );
    expect(today).toEqual({ day: "2026-03-10", up: 75, degraded: 0, down: 25, noData: 0, empty: false });
  });
});

describe("secondsIntoLocalDay", () => {
  it("counts from midnight in the tenant's timezone", () => {
    expect(secondsIntoLocalDay(new Date("2026-03-10T04:30:00Z"), "America/Sao_Paulo")).toBe(1.5 * 3600);
    expect(secondsIntoLocalDay(new Date("2026-03-10T04:30:00Z"), "UTC")).toBe(4.5 * 3600);
  });
});

describe("latencyByHour", () => {
  it("gives one slot per hour, with gaps where no check ran", () => {
    const now = new Date("2026-03-10T12:34:00Z");
    const slots = latencyByHour([{ hour: new Date("2026-03-10T11:00:00Z"), avgMs: 120, maxMs: 300, samples: 10, checks: 10, failedChecks: 0 }], now, 3);
    expect(slots).toEqual([
      { hour: "2026-03-10T10:00:00.000Z", avgMs: null, maxMs: null },
      { hour: "2026-03-10T11:00:00.000Z", avgMs: 120, maxMs: 300 },
      { hour: "2026-03-10T12:00:00.000Z", avgMs: null, maxMs: null },
    ]);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"], [45_000, "45 s"], [60_000, "1 min"], [125_000, "2 min 5 s"], [7_500_000, "2 h 5 min"],
    [3 * 86_400_000 + 4 * 3_600_000 + 59_000, "3 d 4 h"], [86_400_000 + 30_000, "1 d"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
