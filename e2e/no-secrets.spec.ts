import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS } from "@/lib/demo/demo-data";
import {
  DEMO_CLOUD_API_TOKEN,
  DEMO_GATEWAY_API_KEY,
  DEMO_WAHA_API_KEY,
  DEMO_ZAPI_CLIENT_TOKEN,
  DEMO_ZAPI_INSTANCE_TOKEN,
} from "@/lib/demo/seed-demo";
import { E2E } from "./support/env";
import { database, signIn } from "./support/stack";

/**
 * No gateway API key (plain or sealed), webhook secret, channel secret key or cron secret may reach a
 * browser: not in HTML, not in an RSC payload, not in a JS chunk, for any page and any demo role.
 */

let secrets: string[] = [];

test.beforeAll(async () => {
  const sql = database();
  try {
    const rows = await sql<{ api: string; webhook: string | null }[]>`
      select api_key_ciphertext as api, webhook_secret_ciphertext as webhook from public.channel_secrets`;
    secrets = [
      DEMO_GATEWAY_API_KEY, "revoked-gateway-key-9999", E2E.cronSecret, E2E.channelSecretKey,
      // Every demo gateway's credentials (WAHA's key, Z-API's instance and client tokens, the Cloud API's token).
      DEMO_WAHA_API_KEY, DEMO_ZAPI_INSTANCE_TOKEN, DEMO_ZAPI_CLIENT_TOKEN, DEMO_CLOUD_API_TOKEN,
      ...rows.flatMap((r) => [r.api, r.webhook ?? ""]).filter(Boolean),
    ];
  } finally {
    await sql.end();
  }
  expect(secrets.length).toBeGreaterThan(10);
});

function leaks(text: string): string[] {
  return secrets.filter((secret) => text.includes(secret));
}

async function pagesOf(page: Page): Promise<string[]> {
  const links = await page.locator('a[href^="/channels/"], a[href="/admin"]').evaluateAll((as) =>
    as.map((a) => a.getAttribute("href")!),
  );
  return ["/channels", ...new Set(links)].slice(0, 12);
}

/** Tabs reading a user's pages at once: each page is read until the network has been quiet for half a second. */
const TABS = 3;

for (const user of DEMO_USERS) {
  test(`nothing secret reaches ${user.email}'s browser`, async ({ page, context }) => {
    const bodies: { url: string; text: string }[] = [];
    const reading: Promise<void>[] = [];
    // Every tab of the signed-in context: what any page loads (HTML, RSC, JS chunks, JSON) is read.
    context.on("response", (response) => {
      const type = response.headers()["content-type"] ?? "";
      if (!/text|json|javascript|x-component/.test(type)) return;
      reading.push(response.text().then((text) => void bodies.push({ url: response.url(), text }), () => {}));
    });
    await signIn(page, user.email);
    const queue = await pagesOf(page);
    const tab = async (tabPage: Page) => {
      for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
        // CSV exports are downloads, not pages: their bodies are read as the browser would receive them.
        if (/\/export(\?|$)/.test(url)) {
          const csv = await tabPage.request.get(url);
          bodies.push({ url, text: await csv.text() });
          continue;
        }
        await tabPage.goto(url);
        await tabPage.waitForLoadState("networkidle");
        // The RSC payload a client-side navigation would fetch.
        const rsc = await tabPage.request.get(url, { headers: { RSC: "1" } });
        bodies.push({ url: `${url} (RSC)`, text: await rsc.text() });
      }
    };
    const others = await Promise.all(Array.from({ length: TABS - 1 }, () => context.newPage()));
    await Promise.all([page, ...others].map(tab));
    await Promise.all(reading);
    expect(bodies.length).toBeGreaterThan(5);
    const found = bodies.flatMap((body) => leaks(body.text).map((secret) => `${body.url}: ${secret.slice(0, 6)}…`));
    expect(found).toEqual([]);
  });
}

test("no secret is baked into any built JS chunk", () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".js")) files.push(full);
    }
  };
  walk(path.join(".next", "static"));
  expect(files.length).toBeGreaterThan(10);
  const found = files.filter((file) => leaks(readFileSync(file, "utf8")).length > 0);
  expect(found).toEqual([]);
});
