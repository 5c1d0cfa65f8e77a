import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { channelIdByName, signIn } from "./support/stack";

const ADMIN = "bruno@marazul.demo";

const names = async (page: Page) => (await page.getByTestId("channel-list").locator("li a").allTextContents()).map((n) => n.trim());

async function download(page: Page, name: string | RegExp): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
  return readFile(await file.path(), "utf8");
}

test("a search and an order picked with the keyboard live in the URL, survive a reload, and the CSV exports that view", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByLabel("Buscar por nome ou telefone").fill("reservas");
  await page.getByLabel("Ordenar por").selectOption({ label: "Nome" });
  await page.getByLabel("Ordem").selectOption({ label: "Decrescente" });
  await page.getByLabel("Buscar por nome ou telefone").press("Enter");
  await page.waitForURL((url) => url.searchParams.get("q") === "reservas" && url.searchParams.get("dir") === "desc");
  await expect.poll(() => names(page)).toEqual(["Reservas Ubatuba", "Reservas Prumirim"]);

  await page.reload();
  await expect(page.getByLabel("Buscar por nome ou telefone")).toHaveValue("reservas");
  await expect.poll(() => names(page)).toEqual(["Reservas Ubatuba", "Reservas Prumirim"]);

  // The column title sorted the other way, from the keyboard; the search stays.
  await page.getByTestId("channel-sort").getByRole("link", { name: /Canal/ }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.searchParams.get("q") === "reservas" && !url.searchParams.has("dir"));
  await expect.poll(() => names(page)).toEqual(["Reservas Prumirim", "Reservas Ubatuba"]);
  await expect(page.getByLabel("Ordem")).toHaveValue("asc"); // the form shows the view in force after a soft navigation

  const csv = (await download(page, "Exportar CSV")).split("\r\n");
  expect(csv[0]).toBe('"id","name","phone","state","since","last_checked_at","latency_ms","uptime_24h","uptime_7d","uptime_30d","reason","technical_detail"');
  expect(csv.slice(1, -1).map((line) => line.split(",")[1])).toEqual(['"Reservas Prumirim"', '"Reservas Ubatuba"']);
});

test("a channel's transitions export as CSV; another tenant's channel is a 404", async ({ page }) => {
  await signIn(page, ADMIN, `/channels/${await channelIdByName("Casa Itaguá")}`);
  const csv = await download(page, "Exportar transições (CSV)");
  expect(csv.split("\r\n")[0]).toBe('"occurred_at","from_state","to_state","source","duration_seconds","reason","technical_detail"');

  const elsewhere = await page.request.get(`/channels/${await channelIdByName("Casa do Lago Negro")}/export`);
  expect(elsewhere.status()).toBe(404);
});

test("without JavaScript the search form and the column titles still change the view", async ({ browser }) => {
  const signedIn = await browser.newContext();
  await signIn(await signedIn.newPage(), ADMIN);
  const page = await (await browser.newContext({ javaScriptEnabled: false, storageState: await signedIn.storageState() })).newPage();
  await page.goto("/channels");
  await page.getByLabel("Buscar por nome ou telefone").fill("reservas");
  await page.getByLabel("Buscar por nome ou telefone").press("Enter");
  await page.waitForURL((url) => url.searchParams.get("q") === "reservas");
  await page.getByTestId("channel-sort").getByRole("link", { name: /Canal/ }).click();
  await page.waitForURL((url) => url.searchParams.get("sort") === "name");
  expect(await names(page)).toEqual(["Reservas Prumirim", "Reservas Ubatuba"]);
});
