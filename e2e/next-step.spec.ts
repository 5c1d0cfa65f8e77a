import { expect, test } from "@playwright/test";
import { demoInstanceName } from "@/lib/demo/seed-demo";
import { channelIdByName, runPass, setScenario, signIn } from "./support/stack";

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
});

test("a viewer on a needs_qr line is told which admin to ask, by name", async ({ page }) => {
  const id = await channelIdByName(CHANNEL);
  await signIn(page, "ana@marazul.demo");
  await page.goto(`/channels/${id}`);
  await expect(page.getByTestId("channel-detail")).toHaveAttribute("data-state", "needs_qr");
  await expect(page.getByTestId("next-step-ask")).toHaveText("Peça a Bruno Lima (admin) para gerar um novo QR code e escanear com o celular do número.");
  await expect(page.getByTestId("request-qr")).toHaveCount(0);
  await expect(page.getByTestId("force-reconnect")).toHaveCount(0);
});
