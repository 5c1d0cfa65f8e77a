import { parseArgs } from "node:util";
import { startEvolutionSimulator, type EvolutionSimulator } from "@/dev/evolution-simulator/server";

/**
 * Several Evolution API simulators (one gateway origin each, host:port), in a process of their own so
 * their CPU and memory are not counted as the monitor's. Prints one JSON line, `{"urls":[…]}`, once every
 * one listens; instances are added and read through each one's `/__control` API. Stops when its stdin
 * closes (the benchmark exited, however) or on SIGTERM/SIGINT.
 *   tsx scripts/bench/simulator-fleet.ts --origins 10 --latency 50 --key KEY [--first 0]
 * `--first`: the fleet-wide number of its first origin, when a fleet spans several such processes (each
 * origin's random seed follows from it, so a fleet behaves the same however it is split).
 */

const { values } = parseArgs({
  options: {
    origins: { type: "string", default: "10" },
    latency: { type: "string", default: "50" },
    key: { type: "string" },
    first: { type: "string", default: "0" },
  },
});
if (!values.key) throw new Error("--key is required");

const simulators: EvolutionSimulator[] = [];
for (let i = 0; i < Number(values.origins); i++) {
  simulators.push(await startEvolutionSimulator({
    globalApiKey: values.key,
    latencyMs: Number(values.latency),
    connectLatencyMs: 50,
    seed: Number(values.first) + i + 1,
  }));
}
process.stdout.write(`${JSON.stringify({ urls: simulators.map((s) => s.url) })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled(simulators.map((s) => s.stop()));
  process.exit(0);
}
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
