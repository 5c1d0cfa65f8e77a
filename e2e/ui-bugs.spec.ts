import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "@/lib/demo/demo-data";
import { E2E } from "./support/env";
import { database, signIn } from "./support/stack";

const helena = DEMO_USERS.find((user) => user.email === "helena@ilhabela.demo")!;

for (const path of ["/channels/00000000-0000-0000-0000-000000000000", "/no-such-page"]) {
  test(`${path} is Sentinela's own 404, in the shell, localized, with a way back`, async ({ page }) => {
    await signIn(page, helena.email);
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Página não encontrada" })).toBeVisible();
    await expect(page.getByLabel("Trocar de cliente")).toHaveCount(1);
    await page.getByRole("link", { name: "Voltar para os canais" }).click();
    await page.waitForURL((url) => url.pathname === "/channels");

    await page.getByLabel("Idioma").selectOption({ label: "English" });
    await expect(page.getByLabel("Language", { exact: true })).toBeVisible();
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Back to the channels" })).toBeVisible();
  });
}

test("a channel typed with a national phone number is saved in E.164; removing it confirms with a toast", async ({ page }) => {
  await signIn(page, "bruno@marazul.demo", "/channels/new");
  const instance = `e2e-remove-${Date.now()}`;
  await page.getByLabel("URL do gateway").fill(E2E.simulatorUrl);
  await page.getByLabel("Nome da instância").fill(instance);
  await page.getByLabel("Chave de API").fill("a-key-for-the-e2e-test");
  await page.getByLabel("Nome de exibição").fill("Canal para remover");
  await page.getByLabel("Telefone (opcional)").fill("(12) 99123-0004");
  await page.getByRole("button", { name: "Adicionar canal" }).click();
  await page.waitForURL(/\/channels\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split("/")[2];
  const sql = database();
  try {
    const [row] = await sql`select phone_number from public.channels where id = ${id}`;
    expect(row.phone_number).toBe("+5512991230004");
  } finally {
    await sql.end();
  }

  await page.goto(`/channels/${id}/edit`);
  await page.getByLabel("Entendo que o histórico deste canal será apagado.").check();
  await page.getByTestId("remove-channel").click();
  await page.waitForURL((url) => url.pathname === "/channels");
  await expect(page.getByTestId("toast")).toHaveText(/Canal removido, com todo o seu histórico\./);
  await expect(page).toHaveURL(/\/channels$/);
  await page.reload();
  await expect(page.getByTestId("toast")).toHaveCount(0);
});

test("sign-in follows the browser's language until one is chosen in the app", async ({ browser }) => {
  const english = await browser.newContext({ locale: "en-US" });
  const page = await english.newPage();
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Sentinela" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel("Email", { exact: true }).fill(helena.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await english.addCookies([{ name: "NEXT_LOCALE", value: "pt-BR", url: E2E.appUrl }]);
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { level: 1, name: "Entrar no Sentinela" })).toBeVisible();
  await english.close();

  const portuguese = await browser.newContext({ locale: "pt-BR" });
  const other = await portuguese.newPage();
  await other.goto("/sign-in");
  await expect(other.getByRole("heading", { level: 1, name: "Entrar no Sentinela" })).toBeVisible();
  await portuguese.close();
});
