import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/webhooks/cloud-api/[channelId]/route";
import { createChannel } from "@/lib/channels/create-channel";
import { editChannel } from "@/lib/channels/edit-channel";
import { closeSql } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { cloudApiVerifyToken } from "@/lib/webhooks/cloud-api-verify-token";
import { signHubBody } from "@/lib/webhooks/hub-signature";
import { backends, type OpenDatabase } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

/**
 * `GET`/`POST /api/webhooks/cloud-api/<channel id>` through the app's route: Meta's handshake with the
 * channel's derived verify token, and deliveries signed with the app secret stored (sealed) on the
 * channel. Refusals change nothing. PostgreSQL only.
 */

const ENV_KEYS = ["DATABASE_URL", "CHANNEL_SECRET_KEY"] as const;
const APP_SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const WABA = "102290129340398";
const PHONE_ID = "106540352242922";

describe("the Cloud API webhook route", () => {
  let db: OpenDatabase;
  let h: Harness;
  let channelId: string;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    h = await startHarness(db.sql);
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    process.env.DATABASE_URL = db.url;
    process.env.CHANNEL_SECRET_KEY = h.secretKey;
    resetEnvCache();
    await closeSql();
    const channel = await createChannel(db.sql, {
      tenantId: h.tenantId, provider: "cloud-api", gatewayUrl: "https://graph.facebook.com/v23.0", instanceName: PHONE_ID,
      apiKey: "EAAG-access-token", wabaId: WABA, appSecret: APP_SECRET, displayName: "Recepção oficial", phoneNumber: "+5511900000000",
    }, h.secretKey);
    channelId = channel.id;
  });
  afterAll(async () => {
    // A transition's incident step runs after the answer (in the background outside Next.js): let it end.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await closeSql();
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    resetEnvCache();
    await h?.stop();
    await db?.close();
  });

  const params = (id: string) => ({ params: Promise.resolve({ channelId: id }) });
  const handshake = (query: string, id = channelId) => GET(new Request(`http://receiver.test/api/webhooks/cloud-api/${id}?${query}`), params(id));
  function post(body: string, signature: string | null, id = channelId) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (signature !== null) headers["x-hub-signature-256"] = signature;
    return POST(new Request(`http://receiver.test/api/webhooks/cloud-api/${id}`, { method: "POST", headers, body }), params(id));
  }
  const signed = (value: unknown, secret = APP_SECRET) => {
    const body = JSON.stringify(value);
    return post(body, signHubBody(body, secret));
  };
  const delivery = (field: string, value: unknown) =>
    ({ object: "whatsapp_business_account", entry: [{ id: WABA, time: Math.floor(Date.now() / 1000), changes: [{ field, value }] }] });
  const messages = (phoneNumberId: string) => ({
    messaging_product: "whatsapp", metadata: { display_phone_number: "5511900000000", phone_number_id: phoneNumberId },
    statuses: [{ id: "wamid.1", status: "delivered", timestamp: "1764504000", recipient_id: "5511988887777" }],
  });
  const state = async () => (await h.status(channelId)) as { state: string; reason: string | null; last_event_at: Date | null };

  it("answers Meta's handshake with the challenge for the channel's verify token, as text/plain; refuses anything else", async () => {
    const token = cloudApiVerifyToken(channelId, h.secretKey);
    const ok = await handshake(`hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`);
    expect([ok.status, ok.headers.get("content-type"), await ok.text()]).toEqual([200, "text/plain; charset=utf-8", "1158201444"]);
    expect((await handshake(`hub.mode=subscribe&hub.verify_token=${token}x&hub.challenge=1`)).status).toBe(403);
    // Another channel's token does not open this one.
    const other = cloudApiVerifyToken("00000000-0000-4000-8000-000000000000", h.secretKey);
    expect((await handshake(`hub.mode=subscribe&hub.verify_token=${other}&hub.challenge=1`)).status).toBe(403);
    expect((await handshake(`hub.verify_token=${token}&hub.challenge=1`)).status).toBe(400);
  });

  it("unsigned, badly signed, another secret's signature or an unknown channel: 401 and nothing changes", async () => {
    const before = await state();
    const body = JSON.stringify(delivery("account_update", { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "DISABLE" } }));
    for (const response of [
      await post(body, null),
      await post(body, "sha256=" + "0".repeat(64)),
      await post(body, signHubBody(body, "another-app-secret-1234")),
      await post(body, signHubBody(body, APP_SECRET).toUpperCase().replace("SHA256=", "sha1=")),
      await post(body, signHubBody(body, APP_SECRET), "00000000-0000-4000-8000-000000000000"),
      await post(body, signHubBody(body, APP_SECRET), "not-a-uuid"),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect(await state()).toEqual(before);
  });

  it("a signed body that is not JSON, or not a delivery, is 400", async () => {
    expect((await post("{not json", signHubBody("{not json", APP_SECRET))).status).toBe(400);
    expect((await signed({ object: "whatsapp_business_account", entry: "x" })).status).toBe(400);
  });

  it("messages for the channel's number are a sign of life; another number's change nothing", async () => {
    const other = await signed(delivery("messages", messages("999999999999999")));
    expect(await other.json()).toEqual({ ok: true, event: "", outcome: "ignored", applied: 0 });
    expect((await state()).last_event_at).toBeNull();
    const mine = await signed(delivery("messages", messages(PHONE_ID)));
    expect(await mine.json()).toEqual({ ok: true, event: "statuses", outcome: "ignored", applied: 1 });
    expect((await state()).last_event_at).not.toBeNull();
  });

  it("a ban (account_update DISABLED_UPDATE) moves the line to blocked at once, recorded as the webhook's", async () => {
    const response = await signed(delivery("account_update", { phone_number: "5511900000000", event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "DISABLE", waba_ban_date: "2026-11-30" } }));
    expect(await response.json()).toMatchObject({ ok: true, outcome: "transition", applied: 1 });
    expect(await state()).toMatchObject({ state: "blocked", reason: expect.stringContaining("disabled the WhatsApp Business Account") });
    const [event] = await h.sql<{ to_state: string; source: string }[]>`
      select to_state, source from public.channel_events where channel_id = ${channelId} order by occurred_at desc limit 1`;
    expect(event).toEqual({ to_state: "blocked", source: "webhook" });
  });

  it("a channel with no app secret stored answers 409, saying what to do; its secret added by `channel edit` opens it", async () => {
    const bare = await createChannel(db.sql, {
      tenantId: h.tenantId, provider: "cloud-api", gatewayUrl: "https://graph.facebook.com/v23.0", instanceName: "106540352249999",
      apiKey: "EAAG-access-token-2", wabaId: WABA, displayName: "Sem segredo",
    }, h.secretKey);
    const body = JSON.stringify(delivery("messages", messages("106540352249999")));
    const refused = await post(body, signHubBody(body, APP_SECRET), bare.id);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: "no_app_secret", message: expect.stringContaining("--app-secret") } });
    await editChannel(db.sql, bare.id, { appSecret: APP_SECRET }, h.secretKey);
    const accepted = await post(body, signHubBody(body, APP_SECRET), bare.id);
    expect(await accepted.json()).toMatchObject({ ok: true, applied: 1 });
    const [sealed] = await db.sql<{ app: string }[]>`select app_secret_ciphertext as app from public.channel_secrets where channel_id = ${bare.id}`;
    expect(sealed.app).toMatch(/^v1\./);
    expect(sealed.app).not.toContain(APP_SECRET);
  });

  it("an app secret is refused for a kind that takes none", async () => {
    await expect(createChannel(db.sql, {
      tenantId: h.tenantId, provider: "evolution", gatewayUrl: "https://evo.example", instanceName: "x1", apiKey: "evolution-key-1",
      appSecret: APP_SECRET, displayName: "Evolution",
    }, h.secretKey)).rejects.toThrow("evolution channels take no --app-secret");
  });
});
