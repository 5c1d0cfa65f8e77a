import { describe, expect, it } from "vitest";
import { countColors, encodeStrip, stripPaths, stripRuns } from "@/lib/format/day-strip";

describe("day strip code", () => {
  it("round-trips colours through one character a day, grouped into runs", () => {
    const code = encodeStrip(["green", "green", "amber", "grey", "grey", "grey", "red", "green"]);
    expect(code).toBe("ggannnrg");
    expect(stripRuns(code)).toEqual([
      { color: "green", start: 0, length: 2 },
      { color: "amber", start: 2, length: 1 },
      { color: "grey", start: 3, length: 3 },
      { color: "red", start: 6, length: 1 },
      { color: "green", start: 7, length: 1 },
    ]);
    expect(countColors(code)).toEqual({ green: 3, amber: 1, red: 1, grey: 3 });
  });

  it("reads anything unexpected as no data rather than as up", () => {
    expect(stripRuns("g?")).toEqual([{ color: "green", start: 0, length: 1 }, { color: "grey", start: 1, length: 1 }]);
    expect(stripRuns("")).toEqual([]);
  });

  it("draws each colour as one path of runs, no data apart (lower), in a fixed order", () => {
    const y = (color: string) => (color === "grey" ? 5.5 : 3);
    expect(stripPaths("ggannnrggan", y)).toEqual([
      { color: "green", d: "M0 3h2m5 0h2" },
      { color: "amber", d: "M2 3h1m6 0h1" },
      { color: "red", d: "M6 3h1" },
      { color: "grey", d: "M3 5.5h3m4 0h1" },
    ]);
    expect(stripPaths("", y)).toEqual([]);
  });

  it("stays a few hundred bytes for a busy 90 days", () => {
    const busy = Array.from({ length: 90 }, (_, i) => "gargn"[i % 5]).join("");
    expect(stripPaths(busy, () => 3).reduce((bytes, path) => bytes + path.d.length, 0)).toBeLessThan(700);
  });
});
