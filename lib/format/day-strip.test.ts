import { describe, expect, it } from "vitest";
import { countColors, encodeStrip, stripRuns } from "@/lib/format/day-strip";

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
});
