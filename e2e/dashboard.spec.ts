import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { demoInstanceName } from "@/lib/demo/seed-demo";
import { channelIdByName, database, runPass, setScenario, signIn } from "./support/stack";

const TENANT = "pousada-mar-azul";
const ADMIN = "bruno@marazul.demo";


const row = (page: Page, id: string) => page.locator(`li[data-channel-id="${id}"]`);

test.describe.configure({ mode: "serial" });

test("a dropped channel turns red on /channels after the next pass, and green after an admin forces a reconnect", async ({ page }) => {
  const name = "Reservas Ubatuba";
  const id = await channelIdByName(name);
  await runPass();
  await signIn(page, ADMIN);
  await expect(row(page, id)).toHaveAttribute("data-state", "connected");

  // The gateway session drops and stays down until someone reconnects it.
  await setScenario(demoInstanceName(TENANT, name), "drops_and_recovers", { recoverAfterMs: 600_000 });
  await runPass();
  await runPass();
  await expect(row(page, id)).toHaveAttribute("data-state", "disconnected", { timeout: 16_000 });
  await expect(row(page, id).getByText("Desconectado")).toBeVisible();

  await page.goto(`/channels/${id}`);
  await page.getByTestId("force-reconnect").click();
  await expect(page.getByRole("status").filter({ hasText: /Reconexão/ })).toBeVisible({ timeout: 15_000 });
  await page.goto("/channels");
  await expect(row(page, id)).toHaveAttribute("data-state", "connected", { timeout: 16_000 });
});

test("a disconnect pushed by the gateway's webhook shows on /channels within 2 s, without a pass", async ({ page }) => {
  const name = "Chalé Praia Vermelha";
  const id = await channelIdByName(name);
  await runPass(); // installs the gateway webhooks (drift repair) and settles the states
  await signIn(page, ADMIN);
  await expect(row(page, id)).toHaveAttribute("data-state", "connected");
  await page.waitForTimeout(1_500);

  const started = Date.now();
  await setScenario(demoInstanceName(TENANT, name), "drops_and_recovers", { recoverAfterMs: 600_000 });
  await expect(row(page, id)).not.toHaveAttribute("data-state", "connected", { timeout: 2_000 });
  const elapsed = Date.now() - started;
  test.info().annotations.push({ type: "webhook-to-page", description: `${elapsed} ms` });
  console.log(`webhook → /channels: ${elapsed} ms`);
  await setScenario(demoInstanceName(TENANT, name), "healthy");
});

test("the liveness banner appears when passes stop and goes away when they resume", async ({ page }) => {
  await runPass();
  await signIn(page, ADMIN);
  await expect(page.getByTestId("liveness-banner")).toHaveCount(0);

  const sql = database();
  try {
    await sql`update public.monitor_runs set started_at = started_at - interval '10 minutes',
      finished_at = finished_at - interval '10 minutes'`;
  } finally {
    await sql.end();
  }
  await page.reload();
  await expect(page.getByTestId("liveness-banner")).toContainText("O monitor não está rodando");

  await runPass();
  await expect(page.getByTestId("liveness-banner")).toHaveCount(0, { timeout: 17_000 });
});

const PAGES = async () => {
  const id = await channelIdByName("Recepção Mar Azul");
  return [
    { name: "channels", url: "/channels", user: ADMIN },
    { name: "channel-detail", url: `/channels/${id}`, user: ADMIN },
    { name: "channel-edit", url: `/channels/${id}/edit`, user: ADMIN },
    { name: "channel-new", url: "/channels/new", user: ADMIN },
    { name: "channel-detail-viewer", url: `/channels/${id}`, user: "ana@marazul.demo" },
    { name: "settings-alerts", url: "/settings/alerts", user: ADMIN },
    { name: "admin", url: "/admin", user: "plataforma@sentinela.demo" },
  ];
};

/** Pages axe-checked in dark mode too: the sign-in, a list with every state's colour, a channel, the fleet. */
const DARK_CHECKED = new Set(["sign-in", "channels", "channel-detail", "admin"]);

test("every page: screenshots at desktop and phone widths, and no serious or critical axe violations (a few in dark mode too)", async ({ browser }) => {
  // One sign-in, one axe run and two full-page screenshots per page: a minute on a busy 2-core machine.
  test.setTimeout(180_000);
  await runPass();
  const signedOut = await (await browser.newContext()).newPage();
  await signedOut.goto("/sign-in");
  const shots: { name: string; page: Page }[] = [{ name: "sign-in", page: signedOut }];
  for (const target of await PAGES()) {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, target.user);
    await page.goto(target.url);
    await page.waitForLoadState("networkidle");
    shots.push({ name: target.name, page });
  }
  const violations: string[] = [];
  const overflows: string[] = [];
  for (const { name, page } of shots) {
    const results = await new AxeBuilder({ page }).analyze();
    for (const v of results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      violations.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
    }
    for (const [label, width, height] of [["desktop", 1280, 900], ["phone", 390, 844]] as const) {
      await page.setViewportSize({ width, height });
      const path = test.info().outputPath(`${name}-${label}.png`);
      await page.screenshot({ path, fullPage: true });
      await test.info().attach(`${name}-${label}`, { path, contentType: "image/png" });
      // Nothing wider than the screen: wide tables scroll inside their own frame, the page never sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) overflows.push(`${name} (${label}): ${overflow} px wider than the window`);
      if (name === "channel-detail" && label === "phone") {
        // On a phone the actions come right after the state, before the other cards and the charts; and
        // the wide history tables say that they scroll.
        const top = async (locator: Locator) => (await locator.first().boundingBox())?.y ?? Number.NaN;
        const actions = await top(page.locator('[aria-labelledby="admin-actions-title"]'));
        expect(await top(page.getByTestId("channel-state"))).toBeLessThan(actions);
        expect(actions).toBeLessThan(await top(page.locator("dt", { hasText: "Última verificação" })));
        expect(actions).toBeLessThan(await top(page.locator("#uptime-title")));
        await expect(page.getByTestId("table-scroll-hint").first()).toBeVisible();
      }
    }
    if (DARK_CHECKED.has(name)) {
      // Dark mode is the same palette turned dark (app/dark-palette.css): a few pages prove its contrast.
      await page.emulateMedia({ colorScheme: "dark" });
      // Chips and buttons ease their colours (Tailwind's `transition`): axe must read them once settled,
      // not half-way from light to dark (a run caught the state chips mid-fade and called them unreadable).
      // A transition cancelled meanwhile rejects its `finished`: it is over all the same.
      await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
      const dark = await new AxeBuilder({ page }).analyze();
      for (const v of dark.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
        violations.push(`${name} (dark): ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      }
    }
    await page.context().close();
  }
  expect(violations).toEqual([]);
  expect(overflows).toEqual([]);
});
