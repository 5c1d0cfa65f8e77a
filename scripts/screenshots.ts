import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { signIn } from "@/e2e/support/stack";
import { LOCALE_COOKIE, LOCALES, type Locale } from "@/i18n/locales";
import { createSql } from "@/lib/db/client";
import { demoInstanceName } from "@/lib/demo/seed-demo";
import { buildIfNeeded } from "./demo/build-if-needed";
import { startStack, type Stack } from "./demo/stack";
import { startTicker } from "./demo/ticker";

/**
 * `npm run screenshots`: every page of the app, at desktop (1280×800) and phone (390×844) widths, in
 * pt-BR and en, light and (when the app has one) dark, as PNGs in a git-ignored folder (screenshots/ by
 * default, `--out DIR` to choose). Builds when the build is stale, starts the demo's stack on free ports
 * over a throwaway database with no ticker (passes are run here, so every line is in the state its file
 * name says), signs in as the demo roles each page needs, and stops everything it started. Not part of
 * `npm test`: it proves nothing by itself, it is for people (and notes) to look at.
 */

const WIDTHS = [["desktop", 1280, 800], ["phone", 390, 844]] as const;
const CRON_SECRET = "screenshots-cron-secret-not-for-production";
const CHANNEL_SECRET_KEY = "c2NyZWVuc2hvdHMtY2hhbm5lbC1rZXktMzItYnl0ZXM=";
const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const MONITOR_INTERVAL_SECONDS = 30;

type Scheme = "light" | "dark";

interface Shot {
  /** File name stem: `<name>.<locale>.<scheme>.<width>.png`. */
  name: string;
  /** A demo user's e-mail; null: signed out. */
  user: string | null;
  /** A path, or a channel's display name to open its page (`channel:<name>`, `edit:<name>`). */
  target: string;
  /** The state the line must be in for the picture to show what its name says. */
  state?: string;
}

const ADMIN = "bruno@marazul.demo";
// The lines whose words count down to the next automatic attempt come first, while it is still ahead.
const SHOTS: Shot[] = [
  { name: "channel-disconnected", user: "diego@serraverde.demo", target: "channel:Reservas Gramado", state: "disconnected" },
  { name: "channel-connecting", user: "diego@serraverde.demo", target: "channel:Villa Bavária", state: "connecting" },
  { name: "sign-in", user: null, target: "/sign-in" },
  { name: "channels", user: ADMIN, target: "/channels" },
  { name: "channels-viewer", user: "ana@marazul.demo", target: "/channels" },
  { name: "channel-connected", user: ADMIN, target: "channel:Recepção Mar Azul", state: "connected" },
  { name: "channel-needs_qr", user: ADMIN, target: "channel:Casa Itaguá", state: "needs_qr" },
  { name: "channel-needs_qr-viewer", user: "ana@marazul.demo", target: "channel:Casa Itaguá", state: "needs_qr" },
  { name: "channel-misconfigured", user: "helena@ilhabela.demo", target: "channel:Vila Bonete", state: "misconfigured" },
  { name: "channel-provider_down", user: "helena@ilhabela.demo", target: "channel:Pousada Curral", state: "provider_down" },
  { name: "channel-replaced", user: "diego@serraverde.demo", target: "channel:Casa do Lago Negro", state: "replaced" },
  { name: "channel-edit", user: ADMIN, target: "edit:Recepção Mar Azul" },
  { name: "channel-new", user: ADMIN, target: "/channels/new" },
  { name: "channels-import", user: ADMIN, target: "/channels/import" },
  { name: "incidents", user: ADMIN, target: "/incidents" },
  { name: "settings-alerts", user: ADMIN, target: "/settings/alerts" },
  { name: "admin", user: "plataforma@sentinela.demo", target: "/admin" },
  { name: "admin-import", user: "plataforma@sentinela.demo", target: "/admin/import" },
  { name: "not-found", user: ADMIN, target: "/no-such-page" },
];

/** Held disconnected for its picture: dropped, not recovering by itself, and no webhook to report the repair. */
const DISCONNECTED = { tenant: "serra-verde", channel: "Reservas Gramado" };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function runPass(appUrl: string) {
  const response = await fetch(`${appUrl}/api/cron/monitor`, {
    method: "POST",
    headers: { authorization: `Bearer ${CRON_SECRET}` },
    signal: AbortSignal.timeout(120_000),
  });
  if (!response.ok) throw new Error(`the cron route answered ${response.status}`);
}

/**
 * Puts the demo lines in the states the pictures need and reads where each one is (a shot whose line is
 * elsewhere is still taken, with a warning). A pass checks only due lines: each one here comes after
 * every line was made due, as if its interval had gone by.
 */
async function arrangeStates(stack: Stack, appUrl: string): Promise<Map<string, { id: string; state: string }>> {
  const sql = createSql(stack.databaseUrl, { max: 1 });
  try {
    const passNow = async () => {
      await sql`update public.channel_status set next_check_at = now() - interval '1 second'`;
      await runPass(appUrl);
    };
    await passNow(); // first verdicts; installs Sentinela's webhooks on the gateway
    const instance = demoInstanceName(DISCONNECTED.tenant, DISCONNECTED.channel);
    stack.simulator.addInstance({ name: instance, webhook: { enabled: false, url: "http://127.0.0.1:9/" } });
    stack.simulator.setScenario(instance, "drops_and_recovers", { recoverAfterMs: 3_600_000 });
    await passNow();
    await passNow(); // leaving `connected` takes two checks
    const rows = await sql<{ id: string; name: string; state: string }[]>`
      select c.id, c.display_name as name, s.state from public.channels c join public.channel_status s on s.channel_id = c.id`;
    return new Map(rows.map((row) => [row.name, { id: row.id, state: row.state }]));
  } finally {
    await sql.end();
  }
}

/** The shot's address; warns (the picture is still taken) when its line is not in the state named. */
function resolveTarget(shot: Shot, channels: Map<string, { id: string; state: string }>): string {
  const [kind, name] = shot.target.split(/:(.*)/s);
  if (name === undefined) return shot.target;
  const channel = channels.get(name);
  if (!channel) throw new Error(`${shot.name}: no demo channel named ${name}`);
  if (shot.state && channel.state !== shot.state) {
    console.warn(`screenshots: ${shot.name}: ${name} is ${channel.state}, not ${shot.state}`);
  }
  return kind === "edit" ? `/channels/${channel.id}/edit` : `/channels/${channel.id}`;
}

/** Whether the app has a dark mode: the page's background changes with the preferred colour scheme. */
async function hasDarkMode(page: Page): Promise<boolean> {
  const background = async (scheme: Scheme) => {
    await page.emulateMedia({ colorScheme: scheme });
    return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  };
  const light = await background("light");
  const dark = await background("dark");
  await page.emulateMedia({ colorScheme: "light" });
  return light !== dark;
}

async function settle(page: Page) {
  await page.waitForLoadState("networkidle").catch(() => {});
  // Charts draw after hydration and resize with the viewport.
  await page.waitForTimeout(600);
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: "string", default: "screenshots" } }, strict: true });
  const out = path.resolve(values.out!);
  buildIfNeeded();

  const ports = { app: await freePort(), database: await freePort(), simulator: await freePort(), auth: await freePort(), smtp: await freePort(), inbox: await freePort() };
  const appUrl = `http://127.0.0.1:${ports.app}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "sentinela-screenshots-"));
  let stack: Stack | null = null;
  let browser: Browser | null = null;
  let ticker: { stop(): void } | null = null;
  const stop = async () => {
    ticker?.stop();
    await browser?.close().catch(() => {});
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  process.once("SIGTERM", () => void stop().then(() => process.exit(143)));

  try {
    console.log(`screenshots: starting the demo stack on ${appUrl}…`);
    stack = await startStack({
      dataDir, ports, cronSecret: CRON_SECRET, channelSecretKey: CHANNEL_SECRET_KEY, appUrl,
      monitorIntervalSeconds: MONITOR_INTERVAL_SECONDS, ticker: false, log: () => {},
    });
    const channels = await arrangeStates(stack, appUrl);
    // Passes keep coming as the scheduler's would, or later pages would say the monitor stopped.
    ticker = startTicker({ url: `${appUrl}/api/cron/monitor`, secret: CRON_SECRET, intervalMs: MONITOR_INTERVAL_SECONDS * 1000, log: () => {} });

    browser = await chromium.launch({
      executablePath: existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    mkdirSync(out, { recursive: true });
    for (const file of readdirSync(out)) if (file.endsWith(".png")) rmSync(path.join(out, file));

    const contexts = new Map<string | null, BrowserContext>();
    const contextFor = async (user: string | null) => {
      let context = contexts.get(user);
      if (!context) {
        context = await browser!.newContext({ baseURL: appUrl, locale: "pt-BR", timezoneId: "America/Sao_Paulo", reducedMotion: "reduce" });
        if (user) await signIn(await context.newPage(), user);
        contexts.set(user, context);
      }
      return context;
    };

    const probe = (await contextFor(ADMIN)).pages()[0];
    await probe.goto("/channels");
    const schemes: Scheme[] = (await hasDarkMode(probe)) ? ["light", "dark"] : ["light"];
    if (schemes.length === 1) console.log("screenshots: no dark mode (the page ignores prefers-color-scheme): light only");

    const written: string[] = [];
    for (const shot of SHOTS) {
      const url = resolveTarget(shot, channels);
      const context = await contextFor(shot.user);
      const page = context.pages()[0] ?? (await context.newPage());
      for (const locale of LOCALES as readonly Locale[]) {
        await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: appUrl }]);
        await page.setViewportSize({ width: WIDTHS[0][1], height: WIDTHS[0][2] });
        await page.goto(url);
        await settle(page);
        for (const scheme of schemes) {
          await page.emulateMedia({ colorScheme: scheme });
          for (const [width, w, h] of WIDTHS) {
            await page.setViewportSize({ width: w, height: h });
            await page.waitForTimeout(250);
            const file = path.join(out, `${shot.name}.${locale}.${scheme}.${width}.png`);
            await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
            written.push(file);
          }
        }
        await page.emulateMedia({ colorScheme: "light" });
      }
    }
    console.log(`screenshots: ${written.length} files in ${path.relative(process.cwd(), out) || "."}/`);
    for (const file of written) console.log(`  ${path.relative(process.cwd(), file)}`);
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error("screenshots: failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
