import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startAuthServer } from "@/dev/auth-server/server";
import { demoAuthUsers } from "@/dev/auth-server/demo-users";
import { startEvolutionSimulator } from "@/dev/evolution-simulator/server";
import { createSql } from "@/lib/db/client";
import { DEFAULT_DATA_DIR, startEmbeddedServer } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/demo-data";
import { DEMO_GATEWAY_API_KEY, demoInstances, seedDemo } from "@/lib/demo/seed-demo";
import { env } from "@/lib/env";
import { loadOrCreateLocalSecrets } from "@/lib/local-secrets";
import { buildIfNeeded } from "./demo/build-if-needed";
import { startTicker } from "./demo/ticker";

/**
 * `npm run demo`: the whole product with no configuration. Embedded PGlite under .data/, the Evolution
 * API simulator, the local auth server, demo data, the production build on PORT, and a ticker calling
 * the cron route every 30 s. Ctrl-C stops everything it started; `--reset` starts from a clean .data/.
 */

const PORTS = { database: 54329, simulator: 54330, auth: 54321 };
const PUBLISHABLE_KEY = "sb_publishable_sentinela_local_demo";

async function main() {
  const { values } = parseArgs({ options: { reset: { type: "boolean" } }, strict: true });
  if (values.reset) {
    rmSync(DEFAULT_DATA_DIR, { recursive: true, force: true });
    console.log("demo: --reset: removed .data/");
  }
  const config = env();
  const local = loadOrCreateLocalSecrets();
  const cronSecret = config.CRON_SECRET ?? local.cronSecret;
  const channelSecretKey = config.CHANNEL_SECRET_KEY ?? local.channelSecretKey;
  const appUrl = config.APP_URL ?? `http://127.0.0.1:${config.PORT}`;

  const stoppers: (() => Promise<void>)[] = [];
  let child: ChildProcess | undefined;
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\ndemo: stopping…");
    child?.kill("SIGTERM");
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    const database = await startEmbeddedServer({ port: PORTS.database });
    stoppers.push(() => database.stop());
    const sql = createSql(database.url, { max: 2 });
    const migrated = await migrate(sql);
    const seeded = await seedDemo(sql, { gatewayUrl: `http://127.0.0.1:${PORTS.simulator}`, secretKey: channelSecretKey });
    await sql.end();
    console.log(`demo: database ready on ${database.url} (${migrated.applied.length} migrations applied, ${seeded.channelsAdded} channels added)`);

    const simulator = await startEvolutionSimulator({ port: PORTS.simulator, globalApiKey: DEMO_GATEWAY_API_KEY, connectLatencyMs: 1500 });
    stoppers.push(() => simulator.stop());
    for (const instance of demoInstances()) simulator.addInstance({ name: instance.instanceName, scenario: instance.scenario });
    console.log(`demo: Evolution API simulator on ${simulator.url} (${demoInstances().length} instances)`);

    const auth = await startAuthServer({ port: PORTS.auth, users: demoAuthUsers, allowProduction: true });
    stoppers.push(() => auth.stop());
    console.log(`demo: local auth server on ${auth.url}`);

    buildIfNeeded();

    child = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(config.PORT), "-H", "127.0.0.1"], {
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.url,
        CRON_SECRET: cronSecret,
        CHANNEL_SECRET_KEY: channelSecretKey,
        NEXT_PUBLIC_SUPABASE_URL: auth.url,
        NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
        APP_URL: appUrl,
        SENTINELA_DEMO: "1",
      },
    });
    child.on("exit", (code) => {
      if (!stopping) {
        console.error(`demo: the app exited (${code}); stopping`);
        void stopAll(1);
      }
    });
    await waitForHttp(`${appUrl}/api/health`, 60_000);

    const ticker = startTicker({
      url: `${appUrl}/api/cron/monitor`,
      secret: cronSecret,
      intervalMs: config.MONITOR_INTERVAL_SECONDS * 1000,
      log: (line) => console.log(`demo: ${line}`),
    });
    stoppers.push(async () => ticker.stop());

    printWelcome(appUrl, cronSecret, config.CRON_SECRET === undefined);
  } catch (error) {
    console.error("demo: failed to start:", error instanceof Error ? error.message : error);
    await stopAll(1);
  }
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500 || response.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

function printWelcome(appUrl: string, cronSecret: string, generatedSecret: boolean) {
  const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
  console.log(`
  Sentinela is running: ${appUrl}

  Sign in with any demo user (password: ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `    ${u.email.padEnd(width)}  ${u.role}`).join("\n")}
${generatedSecret ? `\n  CRON_SECRET (generated, kept in .data/local-secrets.json): ${cronSecret}` : ""}
  The monitor runs every 30 s by itself. Ctrl-C stops everything.
`);
}

await main();
