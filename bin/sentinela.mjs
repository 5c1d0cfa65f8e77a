#!/usr/bin/env node
// `npx sentinela …`: the built CLI when there is an up-to-date one (`npm run build` makes
// dist/sentinela.mjs: one plain node process, no TypeScript compiler in memory), else the TypeScript
// sources through tsx, so `npx sentinela …` and `npm run sentinela -- …` behave the same. A build older
// than any source file it was made from (dist/sentinela.inputs.json) is not run: the sources are, with
// a one-line notice to run `npm run build:cli` again.
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const built = new URL("../dist/sentinela.mjs", import.meta.url);
const inputs = new URL("../dist/sentinela.inputs.json", import.meta.url);

/** The file a source newer than the build, or null when the build is current. */
function staleBecause() {
  const builtAt = statSync(built).mtimeMs;
  let files;
  try {
    files = JSON.parse(readFileSync(inputs, "utf8"));
  } catch {
    return "dist/sentinela.inputs.json";
  }
  for (const file of files) {
    try {
      if (statSync(root + file).mtimeMs > builtAt) return file;
    } catch {
      return file;
    }
  }
  return null;
}

const stale = existsSync(built) ? staleBecause() : "missing";
if (stale === null) {
  await import(built.href);
} else {
  if (stale !== "missing") {
    process.stderr.write(`sentinela: dist/sentinela.mjs is older than ${stale}; running the sources (npm run build:cli rebuilds it)\n`);
  }
  const { register } = await import("tsx/esm/api");
  register();
  await import("../cli/main.ts");
}
