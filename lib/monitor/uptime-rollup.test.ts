import { describe, expect, it } from "vitest";
import { accountInterval, localDay } from "@/lib/monitor/uptime-rollup";

const base = { channelId: "c", tenantId: "t", timezone: "America/Sao_Paulo", maxGapMs: 180_000 };

describe("accountInterval", () => {
  it("splits an interval at the hour and weights it by time", () => {
    const { hourly } = accountInterval({
      ...base, state: "connected", from: new Date("2026-03-01T12:59:30Z"), to: new Date("2026-03-01T13:00:30Z"),
    });
    expect(hourly.map((h) => [h.bucket, h.upSeconds])).toEqual([
      ["2026-03-01T12:00:00.000Z", 30],
      ["2026-03-01T13:00:00.000Z", 30],
    ]);
  });

  it("counts a gap longer than allowed as no data, never as up", () => {
    const { hourly } = accountInterval({
      ...base, state: "connected", from: new Date("2026-03-01T10:00:00Z"), to: new Date("2026-03-01T12:00:00Z"),
      check: { failed: false, latencyMs: 40 },
    });
    expect(hourly).toHaveLength(1);
    expect(hourly[0]).toMatchObject({ upSeconds: 0, downSeconds: 0, checks: 1, latencySumMs: 40, latencyMaxMs: 40 });
  });

  it("puts degraded and down time in their columns", () => {
    const from = new Date("2026-03-01T12:00:00Z");
    const to = new Date("2026-03-01T12:01:00Z");
    expect(accountInterval({ ...base, state: "connecting", from, to }).hourly[0].degradedSeconds).toBe(60);
    expect(accountInterval({ ...base, state: "needs_qr", from, to }).hourly[0].downSeconds).toBe(60);
    expect(accountInterval({ ...base, state: "paused", from, to }).hourly).toEqual([]);
  });

  it("counts connected-but-silent time as degraded, from the moment silence began", () => {
    const { hourly } = accountInterval({
      ...base, state: "connected", from: new Date("2026-03-01T12:59:30Z"), to: new Date("2026-03-01T13:00:30Z"),
      degradedFrom: new Date("2026-03-01T12:59:50Z"),
    });
    expect(hourly.map((h) => [h.bucket, h.upSeconds, h.degradedSeconds])).toEqual([
      ["2026-03-01T12:00:00.000Z", 20, 10],
      ["2026-03-01T13:00:00.000Z", 0, 30],
    ]);
    // Silence does not make a down channel any less down.
    const down = accountInterval({
      ...base, state: "disconnected", from: new Date("2026-03-01T12:00:00Z"), to: new Date("2026-03-01T12:01:00Z"),
      degradedFrom: new Date("2026-03-01T11:00:00Z"),
    });
    expect(down.hourly[0]).toMatchObject({ downSeconds: 60, degradedSeconds: 0 });
  });

  it("files days under the tenant's local date", () => {
    // 02:30 UTC is still the previous evening in São Paulo (UTC−3).
    const { daily } = accountInterval({
      ...base, state: "connected", from: new Date("2026-03-02T02:29:30Z"), to: new Date("2026-03-02T02:30:00Z"),
    });
    expect(daily[0].bucket).toBe("2026-03-01");
    expect(localDay(new Date("2026-03-02T03:00:00Z"), "America/Sao_Paulo")).toBe("2026-03-02");
  });
});
