import { expect, test, type Page } from "@playwright/test";
import { DEMO_TENANTS } from "@/lib/demo/demo-data";
import { demoInstanceName } from "@/lib/demo/seed-demo";
import { E2E } from "./support/env";
import { channelIdByName, database, runPass, setScenario, signIn } from "./support/stack";

const TENANT = "pousada-mar-azul";
const CHANNEL = "Casa Itaguá"; // logged out on the gateway: needs a QR code

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  // Whatever an earlier spec did to the line, it is logged out again before we look.
  await setScenario(demoInstanceName(TENANT, CHANNEL), "logged_out");
  await runPass();
});

test("an admin on a needs_qr line: the main action is \"Gerar QR code\" and no forced reconnect is offered", async ({ page }) => {
  const id = await channelIdByName(CHANNEL);
  await signIn(page, "bruno@marazul.demo");
  await page.goto(`/channels/${id}`);
  await expect(page.getByTestId("channel-detail")).toHaveAttribute("data-state", "needs_qr");
  await expect(page.getByTestId("next-step")).toHaveAttribute("data-main", "pair");
  await expect(page.getByTestId("request-qr")).toBeVisible();
  await expect(page.getByTestId("request-qr")).toHaveText(/Gerar QR code/);
  await expect(page.getByTestId("force-reconnect")).toHaveCount(0);
  await expect(page.getByText("Forçar reconexão")).toHaveCount(0);

  // Issue 12.3: the check reads in words; the gateway's own answer is one click away, for admins.
  const check = page.getByTestId("recent-checks").locator("tbody tr").first();
  await expect(check).toContainText("Sessão encerrada: o aparelho foi desvinculado");
  await expect(check.getByText("close (401)")).toBeHidden();
  await check.getByText("Detalhes técnicos").click();
  await expect(check.getByTestId("technical-details").getByText("close (401)")).toBeVisible();
});

test("a viewer on a needs_qr line is told which admin to ask, by name", async ({ page }) => {
  const id = await channelIdByName(CHANNEL);
  await signIn(page, "ana@marazul.demo");
  await page.goto(`/channels/${id}`);
  await expect(page.getByTestId("channel-detail")).toHaveAttribute("data-state", "needs_qr");
  await expect(page.getByTestId("next-step-ask")).toHaveText("Peça a Bruno Lima (admin) para gerar um novo QR code e escanear com o celular do número.");
  await expect(page.getByTestId("request-qr")).toHaveCount(0);
  await expect(page.getByTestId("force-reconnect")).toHaveCount(0);

  // Issue 12.3: plain words only. No technical details, instance name or time zone on screen, and the
  // gateway's raw words are not even in the page's HTML (the rendered server components never had them).
  await expect(page.getByTestId("recent-checks")).toContainText("Sessão encerrada: o aparelho foi desvinculado");
  await expect(page.getByTestId("technical-details")).toHaveCount(0);
  const text = await page.locator("body").innerText();
  for (const words of ["Detalhes técnicos", "Instância", "America/Sao_Paulo"]) expect(text).not.toContain(words);
  const html = await page.content();
  for (const raw of ["close (401)", "logged out (device unlinked)"]) expect(html).not.toContain(raw);
});

// Refúgio Ilhabela: its admin Helena sees lines that the demo keeps in the states a person must act on.
const ILHABELA = DEMO_TENANTS.find((tenant) => tenant.slug === "refugio-ilhabela")!;
const HELENA = "helena@ilhabela.demo";

async function expectStep(page: Page, state: string, main: string) {
  await expect(page.getByTestId("channel-detail")).toHaveAttribute("data-state", state);
  await expect(page.getByTestId("next-step")).toHaveAttribute("data-main", main);
}

test("an admin: a rejected key says so and \"Corrigir configuração\" opens the form; a gateway down offers no reconnect and says since when, how many lines share it, who runs it", async ({ page }) => {
  const badKey = await channelIdByName("Vila Bonete"); // stored with a revoked key
  const down = await channelIdByName("Pousada Curral"); // its gateway answers 503
  await signIn(page, HELENA);

  await page.goto(`/channels/${badKey}`);
  await expectStep(page, "misconfigured", "fixConfig");
  await expect(page.getByTestId("next-step-explain")).toContainText("O gateway recusou a chave de API guardada para este canal");
  await expect(page.getByTestId("force-reconnect")).toHaveCount(0);
  await expect(page.getByTestId("request-qr")).toHaveCount(0);
  await page.getByTestId("fix-config").filter({ hasText: "Corrigir configuração" }).click();
  await page.waitForURL((url) => url.pathname === `/channels/${badKey}/edit`);
  await expect(page.getByTestId("channel-form")).toBeVisible();

  await page.goto(`/channels/${down}`);
  await expectStep(page, "provider_down", "none");
  // Every Ilhabela Evolution line shares the tenant's one Evolution gateway (its Z-API and Cloud API
  // lines are on gateways of their own); only the 503 and the unreadable one are down.
  const evolution = ILHABELA.channels.filter((c) => c.provider === undefined);
  const sharing = evolution.length;
  const downNow = evolution.filter((c) => c.scenario === "gateway_down" || c.scenario === "malformed_json").length;
  const explain = page.getByTestId("next-step-explain");
  await expect(explain).toContainText(/não está respondendo desde (\d{2}\/\d{2}\/\d{4} )?\d{2}:\d{2}\./);
  await expect(explain).toContainText(`${sharing} canais deste cliente usam esse gateway; ${downNow} estão fora agora.`);
  await expect(explain).toContainText("Quem cuida dele: a equipe deste cliente");
  await expect(page.getByTestId("force-reconnect")).toHaveCount(0);
  await expect(page.getByTestId("request-qr")).toHaveCount(0);
  await expect(page.getByTestId("fix-config")).toHaveCount(0);
});

/** The simulator's control API (dev/evolution-simulator/control-routes.ts). */
async function control(path: string, method: "POST" | "DELETE", body?: unknown) {
  const response = await fetch(`${E2E.simulatorUrl}/__control/instances${path}`, {
    method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

/**
 * A pass that checks this line now, as if its interval (30 s) had gone by: a pass only checks due lines.
 * Its webhook counts as just read (drift is read every 15 min), so the instance recreated below stays
 * without Sentinela's webhook and only these passes move the line, never a late event.
 */
async function checkNow(channelId: string) {
  const sql = database();
  try {
    await sql`update public.channel_status set next_check_at = now() - interval '1 second', webhook_checked_at = now()
      where channel_id = ${channelId}`;
  } finally {
    await sql.end();
  }
  await runPass();
}

test("one line walked through instance not found, replaced, disconnected and connecting: the main action follows each state", async ({ page }) => {
  test.setTimeout(90_000);
  const name = "Loft Perequê";
  const instance = demoInstanceName(ILHABELA.slug, name);
  const id = await channelIdByName(name);
  await signIn(page, HELENA);
  try {
    // The gateway no longer has the instance: two checks confirm the line left `connected`.
    await control(`/${encodeURIComponent(instance)}`, "DELETE");
    await checkNow(id);
    await checkNow(id);
    await page.goto(`/channels/${id}`);
    await expectStep(page, "misconfigured", "fixConfig");
    await expect(page.getByTestId("next-step-explain")).toContainText("O gateway não encontrou a instância deste canal");
    await expect(page.getByTestId("fix-config")).toHaveText(/Corrigir configuração/);
    await expect(page.getByTestId("force-reconnect")).toHaveCount(0);

    // Back on the gateway, but another WhatsApp Web session took the number (close 440).
    await control("", "POST", { name: instance, scenario: "replaced" });
    await checkNow(id);
    await page.reload();
    await expectStep(page, "replaced", "pair");
    await expect(page.getByTestId("next-step-explain")).toContainText("Outra sessão do WhatsApp Web assumiu este número");
    await expect(page.getByTestId("request-qr")).toHaveText(/Gerar QR code/);
    await expect(page.getByTestId("force-reconnect")).toHaveCount(0);
    await expect(page.getByTestId("fix-config")).toHaveCount(0);

    // The session drops (close 428): the pass records it and makes the first automatic attempt.
    await setScenario(instance, "drops_and_recovers", { recoverAfterMs: 600_000 });
    await checkNow(id);
    await page.reload();
    await expectStep(page, "disconnected", "reconnect");
    // The first attempt's backoff is 1 min ± 20 %: "em 52 segundos" or "em 1 minuto".
    await expect(page.getByTestId("next-step-explain")).toContainText(/próxima tentativa automática em (\d+ segundos|1 minuto)\./);
    await expect(page.getByTestId("force-reconnect")).toBeVisible();
    await expect(page.getByTestId("request-qr")).toHaveCount(0);

    // Stuck connecting: restarted only after 3 minutes of it, and the page says when.
    await setScenario(instance, "stuck_connecting");
    await checkNow(id);
    await page.reload();
    await expectStep(page, "connecting", "reconnect");
    await expect(page.getByTestId("next-step-explain")).toContainText(/próxima tentativa automática em (2|3) minutos\./);
    await expect(page.getByTestId("force-reconnect")).toBeVisible();
    await expect(page.getByTestId("request-qr")).toHaveCount(0);
  } finally {
    await control("", "POST", { name: instance, scenario: "healthy" });
  }
});
