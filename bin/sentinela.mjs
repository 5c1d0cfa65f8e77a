#!/usr/bin/env node
// `npx sentinela …`: the built CLI when there is one (`npm run build` makes dist/sentinela.mjs: one
// plain node process, no TypeScript compiler in memory), else the TypeScript sources through tsx, so
// `npx sentinela …` and `npm run sentinela -- …` behave the same. After changing the sources, run
// `npm run build:cli` again (or `npm run sentinela -- …`, which always runs the sources).
import { existsSync } from "node:fs";

const built = new URL("../dist/sentinela.mjs", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../cli/main.ts");
}
