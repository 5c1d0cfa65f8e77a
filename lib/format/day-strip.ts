import type { DayColor } from "@/lib/format/uptime";

/**
 * The 90-day bar travels from server to browser as one character per day ("g", "a", "r", "n"), not
 * as 90 objects per channel: with 200 channels that is the difference between 18 kB and 600 kB of
 * payload on every refresh. The browser draws it as runs of equal days (stripPaths).
 */

const CODE: Record<DayColor, string> = { green: "g", amber: "a", red: "r", grey: "n" };
const COLOR: Record<string, DayColor> = { g: "green", a: "amber", r: "red", n: "grey" };

export function encodeStrip(colors: DayColor[]): string {
  return colors.map((color) => CODE[color]).join("");
}

export interface StripRun {
  color: DayColor;
  /** Index of the run's first day (0 = the oldest day of the strip). */
  start: number;
  length: number;
}

export function stripRuns(code: string): StripRun[] {
  const runs: StripRun[] = [];
  for (let i = 0; i < code.length; i++) {
    const color = COLOR[code[i]] ?? "grey";
    const last = runs.at(-1);
    if (last && last.color === color) last.length++;
    else runs.push({ color, start: i, length: 1 });
  }
  return runs;
}

export function countColors(code: string): Record<DayColor, number> {
  const counts: Record<DayColor, number> = { green: 0, amber: 0, red: 0, grey: 0 };
  for (const char of code) counts[COLOR[char] ?? "grey"]++;
  return counts;
}

export interface StripPath {
  color: DayColor;
  /** SVG path data: one horizontal segment per run, in day units (x = days from the oldest), at the colour's `y`. */
  d: string;
}

const DRAW_ORDER: DayColor[] = ["green", "amber", "red", "grey"];

/**
 * The strip as at most four SVG paths, one per colour present, each a chain of relative moves and
 * horizontal lines ("M0 2h43m2 0h10"): a few bytes per run instead of an element (or a gradient stop)
 * per day, which is what keeps /channels light on a phone.
 */
export function stripPaths(code: string, yOf: (color: DayColor) => number): StripPath[] {
  const paths = new Map<DayColor, { d: string; end: number }>();
  for (const run of stripRuns(code)) {
    const path = paths.get(run.color);
    const end = run.start + run.length;
    paths.set(run.color, { d: path ? `${path.d}m${run.start - path.end} 0h${run.length}` : `M${run.start} ${yOf(run.color)}h${run.length}`, end });
  }
  return DRAW_ORDER.flatMap((color) => {
    const path = paths.get(color);
    return path ? [{ color, d: path.d }] : [];
  });
}
