import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DARK_CARD_LUMINANCE, buildDarkPaletteCss, darkCounterpart } from "./invert";
import { contrast, luminance, parseColor } from "./oklch";
import { OUTPUT, collectPalette, sourceFiles } from "./sources";

const root = path.resolve(import.meta.dirname, "../..");
const palette = collectPalette(root);
const light = (name: string) => parseColor(palette.light.get(`--color-${name}`)!);
const dark = (name: string) => darkCounterpart(light(name));

describe("the dark counterpart of a colour", () => {
  it("turns white into the dark card surface and the darkest text into white", () => {
    expect(luminance(dark("white"))).toBeCloseTo(DARK_CARD_LUMINANCE, 3);
    expect(luminance(dark("black"))).toBeCloseTo(1, 6);
  });

  it("keeps the contrast of the pairs the app draws (text on surface, badge text on its tint)", () => {
    const pairs = [
      ["slate-600", "white"], ["slate-500", "white"], ["slate-600", "slate-50"], ["red-900", "red-100"],
      ["amber-900", "amber-50"], ["emerald-800", "emerald-50"], ["white", "brand-700"], ["red-800", "red-50"],
    ];
    for (const [fg, bg] of pairs) {
      expect(contrast(dark(fg), dark(bg)), `${fg} on ${bg}`).toBeCloseTo(contrast(light(fg), light(bg)), 1);
    }
  });

  it("reverses lightness within a family and keeps its hue", () => {
    const shades = ["50", "100", "200", "300", "400", "500", "600", "700", "800", "900"];
    const ys = shades.map((shade) => luminance(dark(`slate-${shade}`)));
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(dark("red-100").h).toBeCloseTo(light("red-100").h, 1);
    expect(dark("red-100").c).toBeGreaterThan(0.05);
  });
});

describe("app/dark-palette.css", () => {
  it("is up to date with the colours the app uses (rerun npx tsx scripts/dark-palette.ts)", () => {
    expect(readFileSync(path.join(root, OUTPUT), "utf8")).toBe(buildDarkPaletteCss(palette));
  });

  it("covers slate, the base of every page", () => {
    expect(palette.names).toContain("--color-slate-500");
  });
});

it("no element picks its own dark: colours (the palette already turns dark; they would be inverted twice)", () => {
  const offenders = ["app", "components"]
    .flatMap((dir) => sourceFiles(path.join(root, dir)))
    .filter((file) => /(^|[\s"'`])dark:/m.test(readFileSync(file, "utf8")))
    .map((file) => path.relative(root, file));
  expect(offenders).toEqual([]);
});
