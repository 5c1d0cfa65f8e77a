import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startZapiSimulator, type ZapiSimulator } from "@/dev/zapi-simulator/server";
import { createChannel } from "@/lib/channels/create-channel";
import { createChannelAsAdmin } from "@/lib/channels/manage-channel";
import { requestQr } from "@/lib/channels/qr-pairing";
import { testConnection } from "@/lib/channels/test-connection";
import { createWebhookAdoptionStore, openDownstream, readDownstreamRow } from "@/lib/db/downstream";
import { parseAllowList } from "@/lib/net/allow-list";
import type { OutboundPolicy } from "@/lib/net/outbound-guard";
import { handleWebhookRequest } from "@/lib/webhooks/webhook-request";
import { backends, type OpenDatabase } from "@/test/databases";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { startHarness, type Harness } from "@/test/monitor-harness";
import { inProcessReceiver, webhookSecretOf } from "@/test/webhook-fixtures";

/**
 * Z-API channels through the whole monitor, registry-driven: the client token stored sealed and sent as
 * `Client-Token`, a dropped session restarted and a never-paired one never, the platform's on-connected /
 * on-disconnected URL adopted as the downstream and Sentinela's URL (the secret as its last segment)
 * installed, and a DisconnectedCallback pushed with the secret in the path. PostgreSQL only.
 */

const APP_URL = "https://sentinela.example";
const CLIENT_TOKEN = "zapi-account-security-token";
const PLATFORM_URL = "https://platform.example/zapi/status?token=keep-me";
const outbound: OutboundPolicy = {
  allowed: parseAllowList("127.0.0.1/32"),
  resolver: async (host) => (host === "platform.example" ? [{ address: "93.184.215.14", family: 4 }] : []),
};

describe("Z-API channels in monitor passes", () => {
  let db: OpenDatabase;
  let h: Harness;
  let zapi: ZapiSimulator;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    h = await startHarness(db.sql);
    zapi = await startZapiSimulator({ clientToken: CLIENT_TOKEN, restartLatencyMs: 30 });
  });
  afterAll(async () => {
    await zapi?.stop();
    await h?.stop();
    await db?.close();
  });

  async function addZapiChannel(id: string, scenario: Parameters<ZapiSimulator["addInstance"]>[0]["scenario"], webhooks?: Record<string, string>): Promise<string> {
    zapi.addInstance({ id, token: `${id}-token`, scenario, webhooks });
    const channel = await createChannel(
      db.sql,
      { tenantId: h.tenantId, provider: "zapi", gatewayUrl: zapi.url, instanceName: id, apiKey: `${id}-token`, clientToken: CLIENT_TOKEN, displayName: id },
      h.secretKey,
    );
    await db.sql`update public.channel_status set next_check_at = ${h.clock.now}, since = ${h.clock.now} where channel_id = ${channel.id}`;
    return channel.id;
  }

  it("adopts the platform's URL, installs Sentinela's with the secret in the path, restarts a dropped session and never a never-paired one", async () => {
    const ok = await addZapiChannel("Z-OK", "healthy", { connected: PLATFORM_URL, disconnected: PLATFORM_URL });
    const adoption = { store: createWebhookAdoptionStore(h.sql, h.secretKey), outbound };
    await h.pass({ all: true }, { webhookBaseUrl: APP_URL, webhookAdoption: adoption });
    expect((await h.status(ok)).state).toBe("connected");
    const secret = await webhookSecretOf(db.sql, h.secretKey, ok);
    const ours = `${APP_URL}/api/webhooks/zapi/${ok}/${encodeURIComponent(secret)}`;
    expect(zapi.stats("Z-OK").webhooks).toEqual({ connected: ours, disconnected: ours });
    const row = await readDownstreamRow(h.sql, ok);
    expect(row && openDownstream(row, h.secretKey)).toMatchObject({ url: PLATFORM_URL, events: ["connected", "disconnected"] });
    const restores = await h.sql<{ outcome: string; detail: string }[]>`
      select outcome, detail from public.channel_actions where channel_id = ${ok} and kind = 'webhook_restore'`;
    expect(restores.map((action) => action.outcome)).toEqual(["ok"]);
    // Neither the secret nor the platform's query string is ever written down.
    expect(JSON.stringify(restores)).not.toContain(secret);
    expect(JSON.stringify(restores)).not.toContain("keep-me");

    const dropped = await addZapiChannel("Z-DROP", "needs_restore");
    const unpaired = await addZapiChannel("Z-QR", "not_connected");
    await h.pass({ all: true });
    expect((await h.status(dropped)).state).toBe("disconnected");
    expect(await h.status(unpaired)).toMatchObject({ state: "needs_qr" });
    expect((await h.actions(dropped)).filter((action) => action.kind === "reconnect")).toEqual([
      { kind: "reconnect", outcome: "ok", trigger: "monitor" },
    ]);
    await expect.poll(() => zapi.stats("Z-DROP").connected, { timeout: 3000 }).toBe(true);
    for (let i = 0; i < 4; i++) {
      h.clock.advance(60_000);
      await h.pass({ all: true });
    }
    expect((await h.status(dropped)).state).toBe("connected");
    expect((await h.actions(unpaired)).filter((action) => action.kind === "reconnect")).toEqual([]);
    expect(zapi.stats("Z-QR").calls.restart).toBeUndefined();
  });

  it("an admin tests and adds a Z-API channel with its client token (required), and gets its QR code", async () => {
    zapi.addInstance({ id: "Z-FORM", token: "Z-FORM-token", scenario: "not_connected" });
    const admin = await member(h, "admin");
    const form = { provider: "zapi", gatewayUrl: zapi.url, instanceName: "Z-FORM", apiKey: "Z-FORM-token", displayName: "Recepção Z-API", phoneNumber: null };
    expect(await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, form)).toMatchObject({ status: "invalid", errors: { clientToken: "clientToken.required" } });
    expect(await testConnection(actionDeps(h), admin, { tenantId: h.tenantId }, { ...form, clientToken: "wrong-client-token" })).toMatchObject({
      status: "tested", result: { state: "misconfigured" },
    });
    const created = await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, { ...form, clientToken: CLIENT_TOKEN });
    if (created.status !== "created") throw new Error(JSON.stringify(created));
    expect(await requestQr(actionDeps(h), admin, created.id)).toMatchObject({ status: "qr", qr: { image: expect.stringMatching(/^data:image\/png;base64,/) } });
  });

  it("a DisconnectedCallback posted with the secret in the path moves the channel; a wrong secret or the header route is refused", async () => {
    const id = await addZapiChannel("Z-PUSH", "healthy");
    await h.pass({ all: true });
    expect((await h.status(id)).state).toBe("connected");
    const receiver = inProcessReceiver(db.sql, h.secretKey);
    const secret = await webhookSecretOf(db.sql, h.secretKey, id);
    const body = JSON.stringify({ momment: Date.now(), error: "Device has been disconnected", disconnected: true, type: "DisconnectedCallback", instanceId: "Z-PUSH" });
    const post = (provider: "zapi" | "evolution", pathSecret?: string) => handleWebhookRequest(
      new Request(`http://receiver.test/api/webhooks/${provider}/${id}/x`, { method: "POST", headers: { "content-type": "application/json" }, body }),
      { provider, channelId: id, ...(pathSecret === undefined ? {} : { secret: pathSecret }) },
      async () => receiver.deps,
    );
    expect((await post("zapi", `${secret}x`)).status).toBe(401);
    expect((await post("zapi")).status).toBe(401);
    expect((await post("evolution", secret)).status).toBe(401);
    const answer = await post("zapi", secret);
    expect(await answer.json()).toEqual({ ok: true, event: "", outcome: "transition" });
    expect(await h.status(id)).toMatchObject({ state: "disconnected" });
  });
});
