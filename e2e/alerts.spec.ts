import { expect, test } from "@playwright/test";
import { demoInstanceName } from "@/lib/demo/seed-demo";
import { E2E } from "./support/env";
import { channelIdByName, database, runPass, setScenario, signIn } from "./support/stack";

/**
 * Issue 11's promise, end to end on the demo stack: a line that needs a person reaches the person. A
 * line drops to needs_qr; within one pass after Sentinela records the state an e-mail is in the local
 * inbox with a working link to the QR panel; scanning resolves the incident and a resolution mail follows.
 */

const CHANNEL = "Reservas Ubatuba";
const INSTANCE = demoInstanceName("pousada-mar-azul", CHANNEL);
const ADMIN = "bruno@marazul.demo";

interface InboxMessage { id: string; to: string[]; subject: string; text: string; html: string | null; receivedAt?: string }

async function inbox(): Promise<InboxMessage[]> {
  const response = await fetch(`${E2E.inboxUrl}/api/messages`);
  expect(response.ok).toBe(true);
  return (await response.json()) as InboxMessage[];
}

async function mailTo(address: string, about: (message: InboxMessage) => boolean, timeoutMs: number): Promise<InboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await inbox()).find((message) => message.to.includes(address) && about(message));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no e-mail to ${address} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stateOf(channelId: string): Promise<string> {
  const sql = database();
  try {
    const [row] = await sql<{ state: string }[]>`select state from public.channel_status where channel_id = ${channelId}`;
    return row.state;
  } finally {
    await sql.end();
  }
}

test("a line that needs a QR scan is mailed within one pass, with a link to the QR panel; the scan resolves it and mails again", async ({ page }) => {
  test.setTimeout(120_000);
  const channelId = await channelIdByName(CHANNEL);
  await runPass();
  await fetch(`${E2E.inboxUrl}/api/messages`, { method: "DELETE" });

  const dropped = Date.now();
  await setScenario(INSTANCE, "logged_out");
  // Sentinela records the state (the gateway's webhook, or the next passes when it is silent).
  await expect.poll(async () => {
    if ((await stateOf(channelId)) !== "needs_qr") await runPass();
    return stateOf(channelId);
  }, { timeout: 40_000, intervals: [500] }).toBe("needs_qr");
  const recorded = Date.now();

  await runPass();
  const opened = await mailTo(ADMIN, (m) => m.text.includes(CHANNEL) && m.text.includes(channelId), 15_000);
  const mailed = Date.now();
  console.log(`needs_qr: recorded ${recorded - dropped} ms after the drop; e-mail in the inbox ${mailed - dropped} ms after the drop (${mailed - recorded} ms after recording, one pass)`);

  const link = /https?:\/\/[^\s"<>]+\/channels\/[0-9a-f-]{36}\?pair=1#qr-title/.exec(opened.text)?.[0];
  expect(link, "the e-mail links straight to the QR panel").toBeTruthy();
  await signIn(page, ADMIN);
  await page.goto(new URL(link!).pathname + new URL(link!).search + new URL(link!).hash);
  await expect(page.getByTestId("qr-panel")).toBeVisible();
  await page.getByTestId("request-qr").click();
  await expect(page.getByTestId("qr-image")).toBeVisible({ timeout: 15_000 });

  // The phone scans the code.
  const paired = await fetch(`${E2E.simulatorUrl}/__control/instances/${encodeURIComponent(INSTANCE)}/pair`, { method: "POST" });
  expect(paired.ok).toBe(true);
  await expect.poll(async () => {
    await runPass();
    return stateOf(channelId);
  }, { timeout: 30_000, intervals: [1000] }).toBe("connected");
  await runPass();
  const resolved = await mailTo(ADMIN, (m) => m.id !== opened.id && m.text.includes(CHANNEL), 15_000);
  expect(resolved.subject).not.toBe(opened.subject);

  const sql = database();
  try {
    const incidents = await sql<{ resolved_at: Date | null }[]>`
      select resolved_at from public.incidents where channel_id = ${channelId}`;
    expect(incidents).toHaveLength(1);
    expect(incidents[0].resolved_at).not.toBeNull();
  } finally {
    await sql.end();
  }
});
