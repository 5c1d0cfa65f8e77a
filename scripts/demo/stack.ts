import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { startAuthServer } from "@/dev/auth-server/server";
import { demoAuthUsers } from "@/dev/auth-server/demo-users";
import { startMailInbox, type MailInbox } from "@/dev/mail-inbox/inbox";
import { startInboxWeb } from "@/dev/mail-inbox/web";
import { startEvolutionSimulator, type EvolutionSimulator } from "@/dev/evolution-simulator/server";
import { startCloudApiSimulator, type CloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import { startWahaSimulator, type WahaSimulator } from "@/dev/waha-simulator/server";
import { startZapiSimulator, type ZapiSimulator } from "@/dev/zapi-simulator/server";
import { createSql } from "@/lib/db/client";
import { startEmbeddedServer } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { demoSimulatorUrl } from "@/lib/demo/demo-ports";
import { repointDemoChannels } from "@/lib/demo/repoint-demo-channels";
import { resetDemoWebhooks } from "@/lib/demo/reset-demo-webhooks";
import {
  DEMO_CLOUD_API_TOKEN,
  DEMO_GATEWAY_API_KEY,
  DEMO_WAHA_API_KEY,
  DEMO_ZAPI_CLIENT_TOKEN,
  DEMO_ZAPI_INSTANCE_TOKEN,
  demoCloudApiNumbers,
  demoCloudApiUrl,
  demoInstances,
  demoWahaSessions,
  demoZapiInstances,
  seedDemo,
} from "@/lib/demo/seed-demo";
import { startDemoPlatform } from "./platform";
import { startTicker } from "./ticker";
import { startWeather } from "./weather";

/**
 * Everything `npm run demo` runs, as one start/stop pair, so the e2e suite runs the very same stack
 * (on other ports and a throwaway data directory, with the ticker off so tests drive passes).
 */

export interface StackOptions {
  dataDir: string;
  /**
   * smtp and inbox (the local mail inbox and its page), waha, zapi and cloudApi (the WAHA, Z-API and
   * Cloud API simulators): a free port each when not given.
   */
  ports: {
    app: number; database: number; simulator: number; auth: number; smtp?: number; inbox?: number; waha?: number; zapi?: number; cloudApi?: number;
  };
  cronSecret: string;
  channelSecretKey: string;
  appUrl: string;
  monitorIntervalSeconds: number;
  ticker: boolean;
  log: (line: string) => void;
}

export interface Stack {
  databaseUrl: string;
  simulator: EvolutionSimulator;
  /** The demo's WAHA channels' gateway. */
  waha: WahaSimulator;
  /** The demo's Z-API channels' gateway. */
  zapi: ZapiSimulator;
  /** The demo's Cloud API channels' Graph. */
  cloudApi: CloudApiSimulator;
  authUrl: string;
  /** Every e-mail the app sends lands here: `smtpUrl` is the app's SMTP_URL, `webUrl` the page and JSON API. */
  mail: { inbox: MailInbox; smtpUrl: string; webUrl: string };
  stop(): Promise<void>;
}

/** The From of the demo's alert e-mails (ALERT_FROM). */
export const DEMO_ALERT_FROM = "Sentinela (demo) <alertas@sentinela.demo>";

const PUBLISHABLE_KEY = "sb_publishable_sentinela_local_demo";

export async function startStack(options: StackOptions): Promise<Stack> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stoppers.reverse()) await fn().catch(() => {});
  };
  try {
    const database = await startEmbeddedServer({ dataDir: options.dataDir, port: options.ports.database });
    stoppers.push(() => database.stop());
    // Listening first: a free port is only known once it is taken, and the WAHA channels point at it.
    const waha = await startWahaSimulator({ port: options.ports.waha ?? 0, apiKey: DEMO_WAHA_API_KEY, startLatencyMs: 1500 });
    stoppers.push(() => waha.stop());
    const zapi = await startZapiSimulator({ port: options.ports.zapi ?? 0, clientToken: DEMO_ZAPI_CLIENT_TOKEN, restartLatencyMs: 1500 });
    stoppers.push(() => zapi.stop());
    const cloudApi = await startCloudApiSimulator({ port: options.ports.cloudApi ?? 0 });
    stoppers.push(() => cloudApi.stop());
    const sql = createSql(database.url, { max: 2 });
    const urls = {
      gatewayUrl: demoSimulatorUrl(options.ports.simulator),
      wahaUrl: demoSimulatorUrl(waha.port),
      zapiUrl: demoSimulatorUrl(zapi.port),
      cloudApiUrl: demoCloudApiUrl(demoSimulatorUrl(cloudApi.port)),
    };
    const migrated = await migrate(sql);
    // Before seeding: channels a previous run left on another simulator port move here, not get copies.
    const moved = await repointDemoChannels(sql, { ...urls, secretKey: options.channelSecretKey });
    const seeded = await seedDemo(sql, { ...urls, secretKey: options.channelSecretKey });
    const webhooks = await resetDemoWebhooks(sql, urls);
    await sql.end();
    options.log(
      `database ready on ${database.url} (${migrated.applied.length} migrations applied, ${seeded.channelsAdded} channels added` +
        `${moved ? `, ${moved} moved to the simulator's new port` : ""})`,
    );

    const simulator = await startEvolutionSimulator({
      port: options.ports.simulator, globalApiKey: DEMO_GATEWAY_API_KEY, connectLatencyMs: 1500,
    });
    stoppers.push(() => simulator.stop());
    const platform = await startDemoPlatform(options.log);
    stoppers.push(() => platform.stop());
    // A flapping line flips every 45 s in the demo: often enough to watch, not so often it is noise.
    for (const instance of demoInstances()) {
      simulator.addInstance({
        name: instance.instanceName, scenario: instance.scenario, flapIntervalMs: 45_000, webhook: platform.webhookFor(instance),
      });
    }
    options.log(`Evolution API simulator on ${simulator.url} (${demoInstances().length} instances)`);
    for (const session of demoWahaSessions()) waha.addSession({ name: session.sessionName, scenario: session.scenario });
    options.log(`WAHA simulator on ${waha.url} (${demoWahaSessions().length} sessions)`);
    for (const instance of demoZapiInstances()) {
      zapi.addInstance({ id: instance.id, token: DEMO_ZAPI_INSTANCE_TOKEN, scenario: instance.scenario, phone: instance.phone });
    }
    options.log(`Z-API simulator on ${zapi.url} (${demoZapiInstances().length} instances)`);
    for (const number of demoCloudApiNumbers()) cloudApi.addNumber({ ...number, token: DEMO_CLOUD_API_TOKEN });
    options.log(`Cloud API simulator on ${urls.cloudApiUrl} (${demoCloudApiNumbers().length} phone numbers)`);
    options.log(
      `stand-in platform on ${platform.receiver.url}: ${webhooks.readopted} instances start with its webhook, which Sentinela adopts on its first pass`,
    );

    const auth = await startAuthServer({ port: options.ports.auth, users: demoAuthUsers, allowProduction: true });
    stoppers.push(() => auth.stop());
    options.log(`local auth server on ${auth.url}`);

    const inbox = await startMailInbox({ port: options.ports.smtp ?? 0 });
    stoppers.push(() => inbox.stop());
    const inboxWeb = await startInboxWeb(inbox, { port: options.ports.inbox ?? 0 });
    stoppers.push(() => inboxWeb.stop());
    options.log(`local mail inbox: SMTP on ${inbox.smtpUrl}, alert e-mails at ${inboxWeb.url}`);

    const app = startApp(
      options,
      { DATABASE_URL: database.url, NEXT_PUBLIC_SUPABASE_URL: auth.url, SMTP_URL: inbox.smtpUrl, ALERT_FROM: DEMO_ALERT_FROM },
      platform.receiver.port,
      [waha.port, zapi.port, cloudApi.port],
    );
    stoppers.push(() => stopChild(app));
    await waitForHttp(`${options.appUrl}/api/health`, 60_000, app);

    if (options.ticker) {
      const ticker = startTicker({
        url: `${options.appUrl}/api/cron/monitor`,
        secret: options.cronSecret,
        intervalMs: options.monitorIntervalSeconds * 1000,
        log: options.log,
      });
      stoppers.push(async () => ticker.stop());
      const weather = startWeather(simulator, demoInstances(), options.log);
      stoppers.push(async () => weather.stop());
      const traffic = platform.startTraffic(simulator, demoInstances());
      stoppers.push(async () => traffic.stop());
    }
    return { databaseUrl: database.url, simulator, waha, zapi, cloudApi, authUrl: auth.url, mail: { inbox, smtpUrl: inbox.smtpUrl, webUrl: inboxWeb.url }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function startApp(
  options: StackOptions,
  urls: { DATABASE_URL: string; NEXT_PUBLIC_SUPABASE_URL: string; SMTP_URL: string; ALERT_FROM: string },
  platformPort: number,
  simulatorPorts: number[],
): ChildProcess {
  const next = path.join("node_modules", "next", "dist", "bin", "next");
  return spawn(process.execPath, [next, "start", "-p", String(options.ports.app), "-H", "127.0.0.1"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      ...urls,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      CRON_SECRET: options.cronSecret,
      CHANNEL_SECRET_KEY: options.channelSecretKey,
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
      APP_URL: options.appUrl,
      MONITOR_INTERVAL_SECONDS: String(options.monitorIntervalSeconds),
      SENTINELA_DEMO: "1",
      GATEWAY_ALLOWED_HOSTS: allowedHosts(options.ports.simulator, platformPort, ...simulatorPorts),
    },
  });
}

/**
 * The demo's gateways are the simulators on loopback, which the outbound guard refuses unless allowed:
 * allow exactly their ports (Evolution's, then WAHA's, Z-API's and the Cloud API's) and the stand-in
 * platform's (nothing else on this machine), keeping whatever the operator allowed.
 */
export function allowedHosts(simulatorPort: number, platformPort?: number, ...otherSimulatorPorts: number[]): string {
  return [
    process.env.GATEWAY_ALLOWED_HOSTS?.trim(), `127.0.0.1:${simulatorPort}`, platformPort && `127.0.0.1:${platformPort}`,
    ...otherSimulatorPorts.map((port) => port && `127.0.0.1:${port}`),
  ].filter(Boolean).join(",");
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200 || response.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
