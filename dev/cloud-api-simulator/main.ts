import { pathToFileURL } from "node:url";
import { startCloudApiSimulator } from "./server";

/** `tsx dev/cloud-api-simulator/main.ts [--port N]`: runs the Cloud API (Graph) simulator until SIGINT/SIGTERM. */

export const DEFAULT_CLOUD_API_SIMULATOR_PORT = 8084;

async function main() {
  const [flag, value] = process.argv.slice(2);
  let port = DEFAULT_CLOUD_API_SIMULATOR_PORT;
  if (flag !== undefined) {
    if (flag !== "--port" || !value || !/^\d+$/.test(value) || Number(value) > 65535) {
      console.error("usage: [--port N]");
      process.exit(2);
    }
    port = Number(value);
  }
  const simulator = await startCloudApiSimulator({ port });
  console.log(`Cloud API simulator on ${simulator.url}`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) void main();
