import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_DATA_DIR } from "@/lib/db/embedded";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/demo-data";
import {
  chooseDemoPorts,
  configuredDemoPorts,
  DEMO_PORT_VARIABLES,
  readPreviousDemoPorts,
  savePreviousDemoPorts,
} from "@/lib/demo/demo-ports";
import { env } from "@/lib/env";
import { loadOrCreateLocalSecrets } from "@/lib/local-secrets";
import { buildIfNeeded } from "./demo/build-if-needed";
import { startStack, type StackOptions } from "./demo/stack";

/**
 * `npm run demo`: the whole product with no configuration. Embedded PGlite under .data/, the Evolution
 * API, WAHA, Z-API and WhatsApp Cloud API simulators, the local auth server, a local SMTP inbox for alert e-mails, demo data, the production build on PORT, and a ticker calling
 * the cron route every 30 s. Ctrl-C stops everything it started; `--reset` starts from a clean .data/.
 */

async function main() {
  const { values } = parseArgs({ options: { reset: { type: "boolean" } }, strict: true });
  if (values.reset) {
    rmSync(DEFAULT_DATA_DIR, { recursive: true, force: true });
    console.log("demo: --reset: removed .data/");
  }
  const config = env();
  const local = loadOrCreateLocalSecrets();
  const cronSecret = config.CRON_SECRET ?? local.cronSecret;
  const appUrl = config.APP_URL ?? `http://127.0.0.1:${config.PORT}`;

  buildIfNeeded();
  const { stack, ports } = await startOnFreePorts(config.PORT, {
    dataDir: DEFAULT_DATA_DIR,
    cronSecret,
    channelSecretKey: config.CHANNEL_SECRET_KEY ?? local.channelSecretKey,
    appUrl,
    monitorIntervalSeconds: config.MONITOR_INTERVAL_SECONDS,
    ticker: true,
    log: (line) => console.log(`demo: ${line}`),
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\ndemo: stopping…");
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
  console.log(`
  Sentinela is running: ${appUrl}

  Sign in with any demo user (password: ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `    ${u.email.padEnd(width)}  ${u.role}`).join("\n")}
${config.CRON_SECRET ? "" : `\n  CRON_SECRET (generated, kept in .data/local-secrets.json): ${cronSecret}`}
  Alert e-mails land in the local inbox: ${stack.mail.webUrl} (nothing leaves this machine).
  The monitor runs every ${config.MONITOR_INTERVAL_SECONDS} s by itself. Ctrl-C stops everything.
  Internal ports: database ${ports.database}, simulator ${ports.simulator}, WAHA simulator ${ports.waha}, Z-API simulator ${ports.zapi},
  Cloud API simulator ${ports.cloudApi}, auth ${ports.auth}, SMTP ${ports.smtp}, inbox ${ports.inbox}
  (set ${Object.values(DEMO_PORT_VARIABLES).join(", ")} to choose).
`);
}

/**
 * Starts the stack on the internal ports lib/demo/demo-ports.ts chooses, and remembers them in .data/
 * for the next run. A port can still be taken between choosing and listening: then choose again.
 */
async function startOnFreePorts(appPort: number, options: Omit<StackOptions, "ports">) {
  for (let attempt = 1; ; attempt++) {
    const internal = await chooseDemoPorts({
      configured: configuredDemoPorts(),
      previous: readPreviousDemoPorts(options.dataDir),
      reserved: [appPort],
    });
    for (const note of internal.notes) options.log(note);
    try {
      // One object: the stack derives every internal URL (and the outbound guard's allowance) from it.
      const stack = await startStack({ ...options, ports: { app: appPort, ...internal.ports } });
      savePreviousDemoPorts(options.dataDir, internal.ports);
      return { stack, ports: internal.ports };
    } catch (error) {
      if (attempt >= 3 || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
      options.log(`${(error as Error).message}; choosing ports again`);
    }
  }
}

main().catch((error) => {
  console.error("demo: failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
