import { expect, test, type Page } from "@playwright/test";
import { DEMO_TENANTS, DEMO_USERS } from "@/lib/demo/demo-data";
import { signIn } from "./support/stack";

const tenantBySlug = new Map(DEMO_TENANTS.map((tenant) => [tenant.slug, tenant]));

function visibleTenants(user: (typeof DEMO_USERS)[number]) {
  return user.platformAdmin ? DEMO_TENANTS : user.memberships.map((m) => tenantBySlug.get(m.tenant)!);
}

async function channelNames(page: Page): Promise<string[]> {
  const names = await page.getByTestId("channel-list").locator("li a").allTextContents();
  return names.map((n) => n.trim()).sort();
}

for (const user of DEMO_USERS) {
  test(`${user.email} signs in and sees exactly their tenants' channels`, async ({ page }) => {
    await signIn(page, user.email);
    const tenants = visibleTenants(user);
    if (tenants.length === 1) {
      await expect(page.getByTestId("active-tenant")).toHaveText(tenants[0].name);
      expect(await channelNames(page)).toEqual(tenants[0].channels.map((c) => c.name).sort());
      return;
    }
    const switcher = page.getByLabel(/Trocar de cliente/);
    const offered = (await switcher.locator("option").allTextContents()).sort();
    expect(offered).toEqual(tenants.map((t) => t.name).sort());
    for (const tenant of tenants) {
      await switcher.selectOption({ label: tenant.name });
      await expect(page.getByText(`${tenant.name} ·`)).toBeVisible();
      expect(await channelNames(page)).toEqual(tenant.channels.map((c) => c.name).sort());
    }
  });
}

test("the two-tenant user's choice of tenant survives a reload", async ({ page }) => {
  const helena = DEMO_USERS.find((u) => u.memberships.length === 2)!;
  await signIn(page, helena.email);
  const other = tenantBySlug.get(helena.memberships[1].tenant)!;
  await page.getByLabel(/Trocar de cliente/).selectOption({ label: other.name });
  await expect(page.getByText(`${other.name} ·`)).toBeVisible();
  await page.reload();
  await expect(page.getByText(`${other.name} ·`)).toBeVisible();
  await expect(page.getByLabel(/Trocar de cliente/)).toHaveValue(other.slug);
});

test("a signed-out visit goes to sign-in and comes back afterwards", async ({ page }) => {
  await page.goto("/channels?estado=todos");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fchannels%3Festado%3Dtodos/);
  await page.getByLabel("E-mail").fill(DEMO_USERS[0].email);
  await page.getByLabel("Senha").fill("sentinela-demo");
  await page.getByRole("button", { name: "Entrar", exact: true }).click();
  await page.waitForURL(/\/channels\?estado=todos$/);
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(DEMO_USERS[0].email);
  await page.getByLabel("Senha").fill("not-the-password");
  await page.getByRole("button", { name: "Entrar", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "E-mail ou senha incorretos." })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a tampered session cookie gets the sign-in page", async ({ page, context }) => {
  await signIn(page, DEMO_USERS[1].email);
  const cookies = await context.cookies();
  const session = cookies.filter((c) => c.name.startsWith("sb-") && c.name.includes("auth-token"));
  expect(session.length).toBeGreaterThan(0);
  await context.clearCookies();
  await context.addCookies(
    session.map((c) => ({ ...c, value: c.value.slice(0, -12) + (c.value.endsWith("A") ? "B" : "A").repeat(12) })),
  );
  await page.goto("/channels");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an expired session that cannot be refreshed gets the sign-in page", async ({ page, context }) => {
  await signIn(page, DEMO_USERS[1].email);
  const cookies = await context.cookies();
  const forged = cookies.map((cookie) => {
    if (!cookie.name.includes("auth-token")) return cookie;
    const raw = cookie.value.startsWith("base64-") ? Buffer.from(cookie.value.slice(7), "base64url").toString() : cookie.value;
    const session = JSON.parse(raw) as Record<string, unknown>;
    const expired = { ...session, expires_at: 1, refresh_token: "revoked-refresh-token" };
    return { ...cookie, value: `base64-${Buffer.from(JSON.stringify(expired)).toString("base64url")}` };
  });
  await context.clearCookies();
  await context.addCookies(forged);
  await page.goto("/channels");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("sign-out ends the session", async ({ page }) => {
  await signIn(page, DEMO_USERS[0].email);
  await page.getByRole("button", { name: "Sair" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/channels");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("API routes answer 401 JSON without a session", async ({ request }) => {
  const response = await request.get("/api/channels");
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
});

test("the session cookie is httpOnly, SameSite=Lax, at most 30 days, and not Secure over plain http", async ({ page, context }) => {
  await signIn(page, DEMO_USERS[0].email);
  const session = (await context.cookies()).filter((c) => c.name.startsWith("sb-") && c.name.includes("auth-token"));
  expect(session.length).toBeGreaterThan(0);
  const latest = Date.now() / 1000 + 30 * 24 * 3600 + 60;
  for (const cookie of session) {
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
    expect(cookie.expires).toBeGreaterThan(0);
    expect(cookie.expires).toBeLessThanOrEqual(latest);
  }
  expect(await page.evaluate(() => document.cookie)).not.toContain("auth-token");
});

test("a cross-origin server action answers 403, and plain http gets no HSTS", async ({ request }) => {
  const forged = await request.post("/sign-in", {
    headers: { origin: "http://evil.example", "next-action": "0".repeat(40), "content-type": "text/plain;charset=UTF-8" },
    data: "[]",
  });
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toMatchObject({ error: { code: "cross_origin" } });
  const page = await request.get("/sign-in");
  expect(page.headers()["strict-transport-security"]).toBeUndefined();
});
