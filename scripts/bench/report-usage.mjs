// Loaded with `node --import` by the pass-limits benchmark (scripts/bench/sections/pass-limits.ts): when
// the process exits, writes its own CPU time and peak RSS to BENCH_USAGE_FILE. Not part of the app.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpuUs: usage.userCPUTime + usage.systemCPUTime, maxRssKb: usage.maxRSS }));
  });
}
