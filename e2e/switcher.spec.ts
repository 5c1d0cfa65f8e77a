import { expect, test, type Locator } from "@playwright/test";
import { DEMO_TENANTS, DEMO_USERS } from "@/lib/demo/demo-data";
import { channelIdByName, signIn } from "./support/stack";

const helena = DEMO_USERS.find((user) => user.email === "helena@ilhabela.demo")!;
const tenant = (slug: string) => DEMO_TENANTS.find((t) => t.slug === slug)!;

/** What the reader sees in the closed select, read once (no retry: a stale label must fail). */
async function shown(select: Locator): Promise<{ value: string; label: string }> {
  return select.evaluate((element: HTMLSelectElement) => ({
    value: element.value,
    label: element.options[element.selectedIndex]?.text ?? "",
  }));
}

test("after a switch the tenant and language selects show the value in force, not the old one", async ({ page }) => {
  await signIn(page, helena.email);
  const switcher = page.getByLabel("Trocar de cliente");
  // Whichever tenant opens first, she then switches to the other one and back.
  const opened = await switcher.inputValue();
  const first = tenant(opened);
  const second = tenant(helena.memberships.map((m) => m.tenant).find((slug) => slug !== opened)!);
  await expect(page.getByText(`${first.name} ·`)).toBeVisible();
  expect(await shown(switcher)).toEqual({ value: first.slug, label: first.name });

  await switcher.selectOption({ label: second.name });
  await expect(page.getByText(`${second.name} ·`)).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(await shown(switcher)).toEqual({ value: second.slug, label: second.name });

  await switcher.selectOption({ label: first.name });
  await expect(page.getByText(`${first.name} ·`)).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(await shown(switcher)).toEqual({ value: first.slug, label: first.name });

  await page.getByLabel("Idioma").selectOption({ label: "English" });
  const language = page.getByLabel("Language", { exact: true });
  await expect(language).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(await shown(language)).toEqual({ value: "en", label: "English" });
  expect(await shown(page.getByLabel("Switch tenant"))).toEqual({ value: first.slug, label: first.name });

  await language.selectOption({ label: "Português" });
  await expect(page.getByLabel("Idioma", { exact: true })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(await shown(page.getByLabel("Idioma", { exact: true }))).toEqual({ value: "pt-BR", label: "Português" });
});

test("a channel of the other tenant says so, and its switch button leaves the header on that tenant", async ({ page }) => {
  await signIn(page, helena.email);
  const switcher = page.getByLabel("Trocar de cliente");
  const opened = tenant(await switcher.inputValue());
  const other = tenant(helena.memberships.map((m) => m.tenant).find((slug) => slug !== opened.slug)!);
  const channelName = other.channels[0].name;
  await page.goto(`/channels/${await channelIdByName(channelName)}`);
  const notice = page.getByTestId("other-tenant-notice");
  await expect(notice).toContainText(`Este canal é de ${other.name}; o seletor acima está em ${opened.name}.`);
  await notice.getByRole("button", { name: `Mudar para ${other.name}` }).click();
  await expect(notice).toHaveCount(0);
  await page.waitForLoadState("networkidle");
  expect(await shown(page.getByLabel("Trocar de cliente"))).toEqual({ value: other.slug, label: other.name });
  await expect(page.getByRole("heading", { name: channelName })).toBeVisible();
});
