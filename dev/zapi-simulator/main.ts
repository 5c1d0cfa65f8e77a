import { pathToFileURL } from "node:url";
import { startZapiSimulator } from "./server";

/**
 * `tsx dev/zapi-simulator/main.ts [--port N] [--host ADDR] [--client-token TOKEN]`: runs the Z-API
 * simulator until SIGINT/SIGTERM. Bad arguments exit 2 with one line.
 */

export const DEFAULT_ZAPI_SIMULATOR_PORT = 8083;
/** A development-only account security token, printed at start; never a default for anything real. */
export const DEFAULT_ZAPI_SIMULATOR_CLIENT_TOKEN = "sentinela-zapi-simulator-client-token";

export function parseZapiSimulatorArgs(argv: readonly string[]) {
  const options = { port: DEFAULT_ZAPI_SIMULATOR_PORT, host: "127.0.0.1", clientToken: DEFAULT_ZAPI_SIMULATOR_CLIENT_TOKEN };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--port" && value && /^\d+$/.test(value) && Number(value) <= 65535) options.port = Number(value);
    else if (flag === "--host" && value) options.host = value;
    else if (flag === "--client-token" && value) options.clientToken = value;
    else throw new Error(`unknown or incomplete flag ${flag}: usage: [--port N] [--host ADDR] [--client-token TOKEN]`);
  }
  return options;
}

async function main() {
  let options: ReturnType<typeof parseZapiSimulatorArgs>;
  try {
    options = parseZapiSimulatorArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const simulator = await startZapiSimulator(options);
  console.log(`Z-API simulator on ${simulator.url} (Client-Token: ${simulator.clientToken})`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) void main();
