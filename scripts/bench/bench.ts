import { parseArgs } from "node:util";
import { printRows, type BenchOptions, type BenchSection, type ResultRow } from "./bench-kit";
import { fanOut } from "./sections/fan-out";
import { passLimits, runnerFootprint } from "./sections/pass-limits";
import { steadyWrites } from "./sections/steady-writes";

/**
 * `npm run bench [-- --only NAME,…] [--strict] [section flags]`: Sentinela's benchmarks in one run, each
 * figure printed beside Uptime Kuma 2.5.3's fixed references and the goal it is held to (issue 13).
 *
 * ADDING A SECTION: write scripts/bench/sections/<name>.ts exporting a BenchSection (bench-kit.ts), add
 * one import and one entry to SECTIONS below, and nothing else here. Use the kit: startBenchCluster (a
 * throwaway PostgreSQL set up like Supabase's), startSimulatorFleet (≥ 10 gateway origins in a process of
 * their own, so a per-gateway cap is not the bottleneck and their CPU is not the app's), seedChannels,
 * the meters (clusterCpuSeconds, readWal, readTableStats, databaseBytes, statementCalls) and return
 * ResultRow[] (with `goal`/`ok` where the issue sets one). Flags share one namespace: prefix yours with
 * the section's name, give defaults that keep the whole run to a few minutes, and bigger runs by flag.
 */

const SECTIONS: BenchSection[] = [
  steadyWrites,
  // Bulk reads per gateway, the 10,000-channel pass, 300 channels × 20 s runner (the built CLI).
  passLimits,
  runnerFootprint,
  // Fan-out across workers: behind --fan-out (minutes: 100,000 channels against `next start`).
  fanOut,
];

const options: BenchOptions = {
  only: { type: "string" },
  strict: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
};
for (const section of SECTIONS) Object.assign(options, section.options);
const { values } = parseArgs({ options });

if (values.help) {
  console.log("npm run bench -- [--only NAME,…] [--strict]\nsections and their flags (defaults):");
  for (const section of SECTIONS) {
    console.log(`  ${section.name}: ${section.title}`);
    for (const [flag, spec] of Object.entries(section.options)) console.log(`    --${flag} ${String(spec.default ?? "")}`);
  }
  process.exit(0);
}

const only = typeof values.only === "string" ? new Set(values.only.split(",").map((s) => s.trim())) : null;
const unknown = only ? [...only].filter((name) => !SECTIONS.some((s) => s.name === name)) : [];
if (unknown.length > 0) {
  console.error(`unknown section ${unknown.join(", ")}; sections: ${SECTIONS.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

const results: { section: BenchSection; rows: ResultRow[] }[] = [];
for (const section of SECTIONS.filter((s) => !only || only.has(s.name))) {
  console.log(`\n## ${section.name}: ${section.title}`);
  const rows = await section.run(values, (line) => console.log(`  ${line}`));
  printRows(section.title, rows);
  results.push({ section, rows });
}

const missed = results.flatMap(({ section, rows }) => rows.filter((r) => r.ok === false).map((r) => `${section.name}: ${r.metric}`));
console.log(missed.length === 0 ? "\nEvery goal met." : `\nGoals missed:\n${missed.map((m) => `  ${m}`).join("\n")}`);
console.log("(CPU and time figures are from a shared machine: compare them within one run.)");
process.exit(values.strict && missed.length > 0 ? 1 : 0);
