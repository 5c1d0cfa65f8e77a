import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildDarkPaletteCss } from "./dark-palette/invert";
import { OUTPUT, collectPalette } from "./dark-palette/sources";

/** Writes app/dark-palette.css: the dark counterpart of every colour family the app uses. */
const root = path.resolve(import.meta.dirname, "..");
const css = buildDarkPaletteCss(collectPalette(root));
writeFileSync(path.join(root, OUTPUT), css);
console.log(`${OUTPUT}: ${css.split("\n").filter((line) => line.includes("--color-")).length} colours`);
