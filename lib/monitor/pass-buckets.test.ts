import { describe, expect, it } from "vitest";
import { fillPassBuckets, passWindow } from "@/lib/monitor/pass-buckets";

const NOW = new Date("2026-12-01T12:07:00.000Z");
const window = passWindow(NOW, 24, 15);
const pass = { passes: 20, avgMs: 800, maxMs: 1_200, errors: 0 };

describe("fillPassBuckets", () => {
  it("covers the last 24 h in 15-minute buckets, the current one last, once monitoring is older than that", () => {
    const buckets = fillPassBuckets(window, new Map(), new Date("2026-11-20T00:00:00Z"));
    expect(buckets).toHaveLength(96);
    expect(buckets.at(-1)?.at.toISOString()).toBe("2026-12-01T12:00:00.000Z");
    expect(buckets[0].at.toISOString()).toBe("2026-11-30T12:15:00.000Z");
    expect(buckets.every((b) => b.passes === 0 && b.avgMs === null)).toBe(true);
  });

  it("starts at the bucket of the first pass ever: a fresh stack has no empty buckets before it", () => {
    const first = new Date("2026-12-01T11:52:30Z");
    const found = new Map([[Date.parse("2026-12-01T11:45:00Z"), pass], [Date.parse("2026-12-01T12:00:00Z"), pass]]);
    const buckets = fillPassBuckets(window, found, first);
    expect(buckets.map((b) => [b.at.toISOString(), b.passes])).toEqual([
      ["2026-12-01T11:45:00.000Z", 20],
      ["2026-12-01T12:00:00.000Z", 20],
    ]);
  });

  it("still counts a real gap after monitoring began", () => {
    const found = new Map([[Date.parse("2026-12-01T11:30:00Z"), pass], [Date.parse("2026-12-01T12:00:00Z"), pass]]);
    const buckets = fillPassBuckets(window, found, new Date("2026-12-01T11:31:00Z"));
    expect(buckets.map((b) => b.passes)).toEqual([20, 0, 20]);
  });

  it("is empty before any pass", () => {
    expect(fillPassBuckets(window, new Map(), null)).toEqual([]);
  });
});
