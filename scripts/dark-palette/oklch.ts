/**
 * OKLCH ⇄ sRGB and WCAG relative luminance, enough to derive the dark palette (scripts/dark-palette.ts).
 * Colours outside sRGB (Tailwind's palette is drawn in Display P3) are measured clipped to sRGB, as
 * contrast checkers such as axe measure them.
 */

export interface Oklch {
  /** Lightness, 0–1. */
  l: number;
  c: number;
  /** Hue in degrees. */
  h: number;
}

type Rgb = [number, number, number];

const EPSILON = 1e-6;

/** Linear-light sRGB, unclipped. */
function oklchToLinearRgb({ l, c, h }: Oklch): Rgb {
  const a = c * Math.cos((h * Math.PI) / 180);
  const b = c * Math.sin((h * Math.PI) / 180);
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ];
}

export function inSrgb(color: Oklch): boolean {
  return oklchToLinearRgb(color).every((v) => v >= -EPSILON && v <= 1 + EPSILON);
}

/** WCAG 2 relative luminance of the colour clipped to sRGB. */
export function luminance(color: Oklch): number {
  const [r, g, b] = oklchToLinearRgb(color).map((v) => Math.min(1, Math.max(0, v)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: Oklch, b: Oklch): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The most chroma at this lightness and hue that sRGB can show. */
export function maxChroma(l: number, h: number): number {
  let lo = 0;
  let hi = 0.4;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (inSrgb({ l, c: mid, h })) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function parseOklch(text: string): Oklch {
  const match = /^oklch\(\s*([\d.]+)(%?)\s+([\d.]+)\s+([\d.]+)\s*\)$/.exec(text.trim());
  if (!match) throw new Error(`not an oklch() colour: ${text}`);
  const l = Number(match[1]) / (match[2] ? 100 : 1);
  return { l, c: Number(match[3]), h: Number(match[4]) };
}

export function parseHex(text: string): Oklch {
  const match = /^#([\da-f]{3}|[\da-f]{6})$/i.exec(text.trim());
  if (!match) throw new Error(`not a hex colour: ${text}`);
  const hex = match[1].length === 3 ? [...match[1]].map((d) => d + d).join("") : match[1];
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const l_ = Math.cbrt(0.4122214708 * r + 0.5363015433 * g + 0.0514459929 * b);
  const m_ = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s_ = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  const l = 0.2104542553 * l_ + 0.793617785 * m_ - 0.0040720468 * s_;
  const a = 1.9779984951 * l_ - 2.428592205 * m_ + 0.4505937099 * s_;
  const bb = 0.0259040371 * l_ + 0.7827717662 * m_ - 0.808675766 * s_;
  const c = Math.hypot(a, bb);
  if (c < 1e-4) return { l, c: 0, h: 0 };
  const h = ((Math.atan2(bb, a) * 180) / Math.PI + 360) % 360;
  return { l, c, h };
}

export function parseColor(text: string): Oklch {
  return text.trim().startsWith("#") ? parseHex(text) : parseOklch(text);
}

export function formatOklch({ l, c, h }: Oklch): string {
  const round = (v: number, digits: number) => Number(v.toFixed(digits));
  return `oklch(${round(l * 100, 2)}% ${round(c, 4)} ${round(h, 2)})`;
}
