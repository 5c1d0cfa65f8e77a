import { parseArgs } from "node:util";
import { DEMO_PASSWORD } from "@/lib/demo/demo-data";
import { DEFAULT_DEMO_PORTS } from "@/lib/demo/demo-ports";
import { env } from "@/lib/env";
import { demoAuthUsers } from "./demo-users";
import { ProductionRefusedError, startAuthServer } from "./server";

/**
 * `tsx dev/auth-server/main.ts [--port 24321] [--host 127.0.0.1] [--local-demo]`; the port defaults to
 * SENTINELA_AUTH_PORT, else the demo's (outside the ephemeral range, see lib/demo/demo-ports.ts).
 */

function usage(problem: string): never {
  console.error(`auth-server: ${problem}\nusage: auth-server [--port N] [--host ADDRESS] [--local-demo]`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: String(env().SENTINELA_AUTH_PORT ?? DEFAULT_DEMO_PORTS.auth) },
        host: { type: "string", default: "127.0.0.1" },
        "local-demo": { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port must be 0-65535, got "${values.port}"`);

  try {
    const server = await startAuthServer({
      port,
      host: values.host,
      users: demoAuthUsers,
      allowProduction: values["local-demo"],
    });
    console.log(`[auth-server] listening on ${server.url}/auth/v1 (kid ${server.kid})`);
    console.log(`[auth-server] NEXT_PUBLIC_SUPABASE_URL=${server.url}`);
    console.log(`[auth-server] ${demoAuthUsers.length} demo users, password "${DEMO_PASSWORD}"`);
    const shutdown = () => void server.stop().then(() => process.exit(0));
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  } catch (error) {
    if (error instanceof ProductionRefusedError) {
      console.error(`auth-server: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

await main();
