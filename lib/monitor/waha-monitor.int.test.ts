import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWahaSimulator, type WahaSimulator } from "@/dev/waha-simulator/server";
import { createChannel } from "@/lib/channels/create-channel";
import { createChannelAsAdmin } from "@/lib/channels/manage-channel";
import { requestQr } from "@/lib/channels/qr-pairing";
import { testConnection } from "@/lib/channels/test-connection";
import { WEBHOOK_SECRET_HEADER } from "@/lib/monitor/webhook-drift";
import { handleWebhookRequest } from "@/lib/webhooks/webhook-request";
import { backends, type OpenDatabase } from "@/test/databases";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { startHarness, type Harness } from "@/test/monitor-harness";
import { inProcessReceiver, webhookSecretOf } from "@/test/webhook-fixtures";

/**
 * WAHA channels through the whole monitor, registry-driven: checks, the restart of a
 * failed session, no restart for one that waits for a scan, Sentinela's webhook installed beside the
 * platform's without touching it, and a pushed `session.status` applied through the WAHA route. What a
 * unit test cannot show: the claim's kind choosing the adapter, and the database's stored credentials.
 * PostgreSQL only: the SQL is the same on PGlite (run-monitor-pass.int.test.ts covers both).
 */

const APP_URL = "https://sentinela.example";
const WAHA_KEY = "waha-integration-key";
const PLATFORM = { url: "https://platform.example/waha?token=keep-me", events: ["message"], hmac: { key: "platform-hmac" } };

describe("WAHA channels in monitor passes", () => {
  let db: OpenDatabase;
  let h: Harness;
  let waha: WahaSimulator;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    h = await startHarness(db.sql);
    waha = await startWahaSimulator({ apiKey: WAHA_KEY, startLatencyMs: 30 });
  });
  afterAll(async () => {
    await waha?.stop();
    await h?.stop();
    await db?.close();
  });

  async function addWahaChannel(name: string): Promise<string> {
    const channel = await createChannel(
      db.sql,
      { tenantId: h.tenantId, provider: "waha", gatewayUrl: waha.url, instanceName: name, apiKey: WAHA_KEY, displayName: name },
      h.secretKey,
    );
    await db.sql`update public.channel_status set next_check_at = ${h.clock.now}, since = ${h.clock.now} where channel_id = ${channel.id}`;
    return channel.id;
  }

  async function until(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 3000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("checks WAHA sessions, installs its webhook beside the platform's, restarts a failed session and never one that waits for a scan", async () => {
    waha.addSession({ name: "w-ok", scenario: "healthy", config: { metadata: { room: "1" }, webhooks: [PLATFORM] } });
    const ok = await addWahaChannel("w-ok");
    await h.pass({ all: true }, { webhookBaseUrl: APP_URL });
    expect((await h.status(ok)).state).toBe("connected");
    // Ours beside the platform's, which is exactly as it was; the rest of the session's config too.
    const secret = await webhookSecretOf(db.sql, h.secretKey, ok);
    await until(() => waha.stats("w-ok").status === "WORKING");
    expect(waha.stats("w-ok").config).toEqual({
      metadata: { room: "1" },
      webhooks: [PLATFORM, {
        url: `${APP_URL}/api/webhooks/waha/${ok}`,
        events: ["session.status", "message"],
        customHeaders: [{ name: WEBHOOK_SECRET_HEADER, value: secret }],
      }],
    });
    expect(await h.actions(ok)).toEqual([{ kind: "webhook_restore", outcome: "ok", trigger: "monitor" }]);

    // Without APP_URL from here on: WAHA's PUT restarts any running session, a FAILED one included, so
    // installing the webhook would repair the failed session before the monitor's own reconnect.
    waha.addSession({ name: "w-failed", scenario: "failed" });
    waha.addSession({ name: "w-qr", scenario: "needs_qr" });
    const failed = await addWahaChannel("w-failed");
    const qr = await addWahaChannel("w-qr");
    // A first verdict counts at once: the failed session is restarted in this pass, the waiting one never.
    await h.pass({ all: true });
    expect(await h.status(failed)).toMatchObject({ state: "disconnected", reason: "session failed on the gateway" });
    expect(await h.status(qr)).toMatchObject({ state: "needs_qr", reason: "waiting for a QR scan (gateway is showing a QR code)" });
    expect((await h.actions(failed)).filter((action) => action.kind === "reconnect")).toEqual([
      { kind: "reconnect", outcome: "ok", trigger: "monitor" },
    ]);
    await until(() => waha.stats("w-failed").status === "WORKING");
    h.clock.advance(30_000);
    await h.pass({ all: true });
    expect((await h.status(failed)).state).toBe("connected");
    for (let i = 0; i < 4; i++) {
      h.clock.advance(60_000);
      await h.pass({ all: true });
    }
    expect((await h.actions(qr)).filter((action) => action.kind === "reconnect")).toEqual([]);
    expect(waha.stats("w-qr").calls["POST /api/sessions/{name}/restart"]).toBeUndefined();
  });

  it("an admin tests and adds a WAHA channel through the form's kind choice; a flag WAHA does not take is refused", async () => {
    waha.addSession({ name: "w-form", scenario: "needs_qr" });
    const admin = await member(h, "admin");
    const form = { provider: "waha", gatewayUrl: waha.url, instanceName: "w-form", apiKey: WAHA_KEY, displayName: "Recepção WAHA", phoneNumber: null };
    expect(await testConnection(actionDeps(h), admin, { tenantId: h.tenantId }, form)).toMatchObject({
      status: "tested", result: { state: "needs_qr", reason: "waiting for a QR scan (gateway is showing a QR code)" },
    });
    expect(await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, { ...form, clientToken: "token-12345" }))
      .toEqual({ status: "invalid", errors: { clientToken: "clientToken.refused" } });
    const created = await createChannelAsAdmin(actionDeps(h), admin, h.tenantId, form);
    if (created.status !== "created") throw new Error(JSON.stringify(created));
    const [row] = await db.sql`
      select c.provider, g.provider as gateway_provider, c.webhook_events as events, s.state
      from public.channels c join public.gateways g on g.id = c.gateway_id join public.channel_status s on s.channel_id = c.id
      where c.id = ${created.id}
    `;
    expect(row).toEqual({ provider: "waha", gateway_provider: "waha", events: ["session.status", "message"], state: "needs_qr" });
    // The QR flow through the registry: WAHA's current code, then the scan.
    const qr = await requestQr(actionDeps(h), admin, created.id);
    expect(qr).toMatchObject({ status: "qr", qr: { pairingCode: null, count: 0 } });
  });

  it("a session.status pushed to /api/webhooks/waha/<id> moves the channel at once; the Evolution route refuses it", async () => {
    waha.addSession({ name: "w-push", scenario: "healthy" });
    const id = await addWahaChannel("w-push");
    await h.pass({ all: true });
    expect((await h.status(id)).state).toBe("connected");
    const receiver = inProcessReceiver(db.sql, h.secretKey);
    const secret = await webhookSecretOf(db.sql, h.secretKey, id);
    const body = JSON.stringify({
      id: "evt_01push", timestamp: Date.now(), event: "session.status", session: "w-push", metadata: {}, engine: "NOWEB",
      payload: { name: "w-push", status: "SCAN_QR_CODE" }, me: null, environment: {},
    });
    const post = (provider: "waha" | "evolution") => handleWebhookRequest(
      new Request(`http://receiver.test/api/webhooks/${provider}/${id}`, {
        method: "POST", headers: { "content-type": "application/json", [WEBHOOK_SECRET_HEADER]: secret }, body,
      }),
      { provider, channelId: id },
      async () => receiver.deps,
    );
    expect((await post("evolution")).status).toBe(401);
    const answer = await post("waha");
    expect(await answer.json()).toEqual({ ok: true, event: "session.status", outcome: "transition" });
    expect(await h.status(id)).toMatchObject({ state: "needs_qr", reason: "waiting for a QR scan (gateway is showing a QR code)" });
    const [event] = await db.sql`select source, to_state from public.channel_events where channel_id = ${id} order by id desc limit 1`;
    expect(event).toEqual({ source: "webhook", to_state: "needs_qr" });
  });
});
