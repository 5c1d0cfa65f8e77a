import { pathToFileURL } from "node:url";
import { startEvolutionSimulator, type EvolutionSimulator } from "./server";

/**
 * `sentinela simulator [--port N]` and `tsx dev/evolution-simulator/main.ts`: runs the simulator until
 * SIGINT/SIGTERM. Bad arguments exit 2 with a message that names the problem.
 */

export const DEFAULT_SIMULATOR_PORT = 8081;
/** A development-only key, printed at start; never a default for anything real. */
export const DEFAULT_SIMULATOR_API_KEY = "sentinela-simulator-key";

export interface SimulatorCliOptions {
  port: number;
  host: string;
  apiKey: string;
  seed?: number;
  connectLatencyMs?: number;
  latencyMs?: number;
  statusStoreDelayMs?: number;
}

export class UsageError extends Error {}

const USAGE =
  "usage: simulator [--port N] [--host ADDR] [--api-key KEY] [--seed N] [--connect-latency-ms N] [--latency-ms N]" +
  " [--status-store-delay-ms N]";

function integerFlag(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new UsageError(`${flag} needs a whole number, got ${value ?? "nothing"}`);
  const parsed = Number(value);
  if (parsed < min || parsed > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${parsed}`);
  return parsed;
}

export function parseSimulatorArgs(argv: readonly string[]): SimulatorCliOptions {
  const options: SimulatorCliOptions = { port: DEFAULT_SIMULATOR_PORT, host: "127.0.0.1", apiKey: DEFAULT_SIMULATOR_API_KEY };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    i += 1;
    switch (flag) {
      case "--port":
        options.port = integerFlag(flag, value, 0, 65535);
        break;
      case "--host":
        if (!value) throw new UsageError("--host needs an address");
        options.host = value;
        break;
      case "--api-key":
        if (!value) throw new UsageError("--api-key needs a value");
        options.apiKey = value;
        break;
      case "--seed":
        options.seed = integerFlag(flag, value, 0, 2 ** 32 - 1);
        break;
      case "--connect-latency-ms":
        options.connectLatencyMs = integerFlag(flag, value, 0, 600_000);
        break;
      case "--latency-ms":
        options.latencyMs = integerFlag(flag, value, 0, 600_000);
        break;
      case "--status-store-delay-ms":
        options.statusStoreDelayMs = integerFlag(flag, value, 0, 600_000);
        break;
      default:
        throw new UsageError(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  return options;
}

export async function runSimulator(options: SimulatorCliOptions): Promise<EvolutionSimulator> {
  const simulator = await startEvolutionSimulator({
    port: options.port,
    host: options.host,
    globalApiKey: options.apiKey,
    seed: options.seed,
    connectLatencyMs: options.connectLatencyMs,
    latencyMs: options.latencyMs,
    statusStoreDelayMs: options.statusStoreDelayMs,
  });
  console.log(`Evolution API simulator listening on ${simulator.url}`);
  console.log(`  global apikey: ${simulator.globalApiKey}`);
  console.log(`  control API:   ${simulator.url}/__control/instances`);
  return simulator;
}

/** Runs until a signal; returns the process exit code. */
export async function simulatorMain(argv: readonly string[]): Promise<number> {
  let options: SimulatorCliOptions;
  try {
    options = parseSimulatorArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const simulator = await runSimulator(options);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await simulator.stop();
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  simulatorMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
