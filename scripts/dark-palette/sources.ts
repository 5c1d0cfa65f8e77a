import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { PaletteInput } from "./invert";

/** Where the light palette and its uses live, relative to the repository root. */
const TAILWIND_THEME = "node_modules/tailwindcss/theme.css";
const APP_CSS = "app/globals.css";
const SOURCE_DIRS = ["app", "components"];
export const OUTPUT = "app/dark-palette.css";
export const GENERATOR = "scripts/dark-palette.ts";

const DECLARATION = /(--color-[a-z]+(?:-\d{2,3})?)\s*:\s*([^;]+);/g;

function declarations(css: string): Map<string, string> {
  return new Map([...css.matchAll(DECLARATION)].map((m) => [m[1], m[2].trim()]));
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(tsx?|css)$/.test(entry.name) && full !== OUTPUT ? [full] : [];
  });
}

/** The colour families (slate, red, brand …) that app code names, in utilities or in var(--color-…). */
export function familiesInUse(root: string, known: Set<string>): Set<string> {
  const used = new Set<string>();
  for (const file of SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(root, dir)))) {
    if (path.relative(root, file) === OUTPUT) continue;
    for (const match of readFileSync(file, "utf8").matchAll(/\b([a-z]+)-(?:50|[1-9]00|950)\b/g)) {
      if (known.has(match[1])) used.add(match[1]);
    }
  }
  return used;
}

export function collectPalette(root: string): PaletteInput {
  const light = new Map([
    ...declarations(readFileSync(path.join(root, TAILWIND_THEME), "utf8")),
    ...declarations(readFileSync(path.join(root, APP_CSS), "utf8")),
  ]);
  const familyOf = (name: string) => /^--color-([a-z]+)-\d+$/.exec(name)?.[1];
  const known = new Set([...light.keys()].flatMap((name) => familyOf(name) ?? []));
  const used = familiesInUse(root, known);
  const names = [
    "--color-white",
    "--color-black",
    ...[...light.keys()].filter((name) => used.has(familyOf(name) ?? "")),
  ];
  return { light, names, generator: GENERATOR };
}
