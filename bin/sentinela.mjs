#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx sentinela …` and `npm run sentinela -- …` behave the same.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
