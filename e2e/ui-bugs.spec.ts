import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "@/lib/demo/demo-data";
import { signIn } from "./support/stack";

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
