import { expect, type Page } from "@playwright/test";
import postgres from "postgres";
import { DEMO_PASSWORD } from "@/lib/demo/demo-data";
import { E2E } from "./env";

/** Runs one monitor pass now, as the scheduler would. */
export async function runPass() {
  const response = await fetch(`${E2E.appUrl}/api/cron/monitor`, {
    method: "POST",
    headers: { authorization: `Bearer ${E2E.cronSecret}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { checked: number; transitions: number };
}

export async function setScenario(instance: string, scenario: string, options: Record<string, unknown> = {}) {
  const response = await fetch(`${E2E.simulatorUrl}/__control/instances/${encodeURIComponent(instance)}/scenario`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ scenario, ...options }),
  });
  expect(response.ok).toBe(true);
}

/** The e2e database, for the few things a browser cannot arrange (e.g. the monitor having stopped). */
export function database() {
  if (!/^postgres:\/\/[^@]+@127\.0\.0\.1:/.test(E2E.databaseUrl)) {
    throw new Error("refusing to touch a non-local database from e2e tests");
  }
  return postgres(E2E.databaseUrl, { prepare: false, max: 1, onnotice: () => {} });
}

export async function signIn(page: Page, email: string, next = "/channels") {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Senha").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Entrar", exact: true }).click();
  await page.waitForURL((url) => url.pathname === next);
}

export async function channelIdByName(name: string): Promise<string> {
  const sql = database();
  try {
    const [row] = await sql<{ id: string }[]>`select id from public.channels where display_name = ${name}`;
    return row.id;
  } finally {
    await sql.end();
  }
}
