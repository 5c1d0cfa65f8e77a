import { pathToFileURL } from "node:url";
import { startWahaSimulator } from "./server";

/**
 * `tsx dev/waha-simulator/main.ts [--port N] [--host ADDR] [--api-key KEY] [--start-latency-ms N]`:
 * runs the WAHA simulator until SIGINT/SIGTERM. Bad arguments exit 2 with one line.
 */

export const DEFAULT_WAHA_SIMULATOR_PORT = 8082;
/** A development-only key, printed at start; never a default for anything real. */
export const DEFAULT_WAHA_SIMULATOR_API_KEY = "sentinela-waha-simulator-key";

function integer(flag: string, value: string | undefined, max: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) > max) {
    throw new Error(`${flag} needs a whole number up to ${max}, got ${value ?? "nothing"}`);
  }
  return Number(value);
}

export function parseWahaSimulatorArgs(argv: readonly string[]) {
  const options = { port: DEFAULT_WAHA_SIMULATOR_PORT, host: "127.0.0.1", apiKey: DEFAULT_WAHA_SIMULATOR_API_KEY, startLatencyMs: 1500 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--port") options.port = integer(flag, value, 65535);
    else if (flag === "--start-latency-ms") options.startLatencyMs = integer(flag, value, 600_000);
    else if (flag === "--host" && value) options.host = value;
    else if (flag === "--api-key" && value) options.apiKey = value;
    else throw new Error(`unknown or incomplete flag ${flag}: usage: [--port N] [--host ADDR] [--api-key KEY] [--start-latency-ms N]`);
  }
  return options;
}

async function main() {
  let options: ReturnType<typeof parseWahaSimulatorArgs>;
  try {
    options = parseWahaSimulatorArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const simulator = await startWahaSimulator(options);
  console.log(`WAHA simulator on ${simulator.url} (X-Api-Key: ${simulator.apiKey}); control API under ${simulator.url}/__control`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) void main();
