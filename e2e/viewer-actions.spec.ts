import { expect, test } from "@playwright/test";
import { DEMO_TENANTS } from "@/lib/demo/demo-data";
import { channelIdByName, database, signIn } from "./support/stack";

const MAR_AZUL = DEMO_TENANTS.find((t) => t.slug === "pousada-mar-azul")!;
const CHANNEL = "Check-in Digital";


async function manualReconnects(id: string): Promise<number> {
  const sql = database();
  try {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.channel_actions
      where channel_id = ${id} and trigger = 'manual' and kind in ('restart', 'connect', 'reconnect')`;
    return row.n;
  } finally {
    await sql.end();
  }
}

test("a viewer gets no reconnect control, and a direct call of the action is refused", async ({ browser }) => {
  expect(MAR_AZUL.channels.some((c) => c.name === CHANNEL)).toBe(true);
  const id = await channelIdByName(CHANNEL);

  // The admin's click shows what the action call looks like on the wire.
  const admin = await browser.newPage();
  await signIn(admin, "bruno@marazul.demo");
  await admin.goto(`/channels/${id}`);
  const [call] = await Promise.all([
    admin.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
    admin.getByTestId("force-reconnect").click(),
  ]);
  await expect(admin.getByRole("status").filter({ hasText: /Reconex|reconex/ })).toBeVisible({ timeout: 15_000 });
  const afterAdmin = await manualReconnects(id);
  expect(afterAdmin).toBeGreaterThan(0);

  const viewer = await browser.newPage();
  await signIn(viewer, "ana@marazul.demo");
  await viewer.goto(`/channels/${id}`);
  await expect(viewer.getByRole("heading", { level: 1 })).toContainText(CHANNEL);
  await expect(viewer.getByTestId("force-reconnect")).toHaveCount(0);

  // The viewer replays the admin's action call with her own session: refused, nothing written.
  const headers = call.headers();
  const replay = await viewer.request.post(`/channels/${id}`, {
    headers: {
      "next-action": headers["next-action"],
      "content-type": headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: "text/x-component",
      ...(headers["next-router-state-tree"] ? { "next-router-state-tree": headers["next-router-state-tree"] } : {}),
    },
    data: call.postData() ?? "",
  });
  expect(await replay.text()).toContain("Só administradores deste cliente podem fazer isso.");
  expect(await manualReconnects(id)).toBe(afterAdmin);
  await admin.close();
  await viewer.close();
});

test("only tenant admins are offered channel management; only platform staff reach /admin", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, "bruno@marazul.demo");
  await expect(admin.getByTestId("add-channel")).toBeVisible();
  expect((await admin.goto("/admin"))?.status()).toBe(404);

  const viewer = await (await browser.newContext()).newPage();
  await signIn(viewer, "ana@marazul.demo");
  await expect(viewer.getByTestId("channel-list")).toBeVisible();
  await expect(viewer.getByTestId("add-channel")).toHaveCount(0);

  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, "plataforma@sentinela.demo");
  expect((await staff.goto("/admin"))?.status()).toBe(200);
});
