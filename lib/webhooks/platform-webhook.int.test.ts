import { afterEach, beforeEach, expect, it } from "vitest";
import type { WebhookInput } from "@/dev/evolution-simulator/model";
import { startPlatformReceiver, type PlatformReceiver } from "@/dev/platform-receiver/server";
import { createWebhookAdoptionStore, openDownstream, readDownstreamRow } from "@/lib/db/downstream";
import { countForwards } from "@/lib/db/webhook-forwards";
import { WEBHOOK_CHECK_INTERVAL_MS, WEBHOOK_SECRET_HEADER } from "@/lib/monitor/webhook-drift";
import { parseAllowList } from "@/lib/net/allow-list";
import type { OutboundPolicy } from "@/lib/net/outbound-guard";
import { createProviders } from "@/lib/providers/registry";
import { ProviderError } from "@/lib/providers/types";
import { deliverPendingForwards } from "@/lib/webhooks/forward-queue";
import { handleWebhookRequest, type WebhookRequestDeps } from "@/lib/webhooks/webhook-request";
import { forEachBackend } from "@/test/databases";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";
import { evolutionEvent, webhookSecretOf } from "@/test/webhook-fixtures";
import { startReceiverServer, type ReceiverServer } from "@/test/webhook-receiver-server";

/**
 * Issue 10, point 1: the platform's webhook is never cut. A gateway instance already carries the
 * platform's webhook; the monitor adopts it as the channel's downstream and installs ours, and the
 * receiver forwards every event to the platform as the gateway would have. There is no DNS nor public
 * TLS here: `platform.example` resolves (for the outbound guard) to a public address through an
 * injected resolver, and an injected fetch carries the request to a local stand-in of the platform.
 */

const PLATFORM = "https://platform.example";
const PLATFORM_HOOK: WebhookInput = {
  enabled: true,
  url: `${PLATFORM}/hook?token=abc`,
  headers: { "X-Platform-Key": "k-123" },
  events: ["MESSAGES_UPSERT", "CONNECTION_UPDATE"],
  byEvents: false,
  base64: false,
};
const OUR_EVENTS = ["CONNECTION_UPDATE", "QRCODE_UPDATED", "STATUS_INSTANCE", "LOGOUT_INSTANCE", "MESSAGES_UPSERT"];

const outbound: OutboundPolicy = {
  allowed: parseAllowList("127.0.0.1/32"),
  resolver: async (host) => (host === "platform.example" ? [{ address: "93.184.215.14", family: 4 }] : []),
};

forEachBackend("adopting the platform's webhook", (db) => {
  let h: Harness;
  let platform: PlatformReceiver;
  let server: ReceiverServer;
  let deferred: Promise<void>[];
  let receiverDeps: WebhookRequestDeps;

  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
    platform = await startPlatformReceiver({ requireHeader: { name: "X-Platform-Key", value: "k-123" } });
    // The "dispatcher": https://platform.example/… goes to the stand-in, path, query, headers and body untouched.
    const viaStandIn = (async (url: string | URL, init?: RequestInit) =>
      fetch(String(url).replace(PLATFORM, platform.url), init)) as typeof fetch;
    deferred = [];
    receiverDeps = {
      db: h.sql, secretKey: h.secretKey, providers: createProviders({ timeoutMs: 2000 }), clock: () => new Date(h.clock.now),
      defer: (task) => void deferred.push(task()), forwarding: { outbound, fetch: viaStandIn, timeoutMs: 2000 },
    };
    server = await startReceiverServer((request, channelId) =>
      handleWebhookRequest(request, { provider: "evolution", channelId }, async () => receiverDeps));
  });
  afterEach(async () => {
    await server.stop();
    await platform.stop();
    await h.stop();
  });

  const adoption = (policy: OutboundPolicy = outbound) => ({ store: createWebhookAdoptionStore(h.sql, h.secretKey), outbound: policy });
  const pass = (policy?: OutboundPolicy) => h.pass({}, { webhookBaseUrl: server.url, webhookAdoption: adoption(policy) });
  const retryPass = () => deliverPendingForwards({ ...receiverDeps, ...receiverDeps.forwarding }, { limit: 1000, budgetMs: 10_000 });
  const settle = async () => {
    await h.simulator.idle();
    await Promise.all(deferred.splice(0));
  };
  const find = async (name: string) => {
    const response = await fetch(`${h.simulator.url}/webhook/find/${name}`, { headers: { apikey: GATEWAY_KEY } });
    return response.json() as Promise<Record<string, unknown>>;
  };
  const webhookCalls = (name: string) => {
    const calls = h.simulator.stats(name).calls;
    return (calls["GET /webhook/find"] ?? 0) + (calls["POST /webhook/set"] ?? 0);
  };
  const actions = (id: string) => h.sql<{ outcome: string; detail: string }[]>`
    select outcome, detail from public.channel_actions where channel_id = ${id} and kind = 'webhook_restore' order by id`;
  const mode = async (id: string) => {
    const [row] = await h.sql<{ mode: string; reason: string | null }[]>`
      select webhook_mode as mode, webhook_mode_reason as reason from public.channels where id = ${id}`;
    return row;
  };
  async function platformChannel(name: string, hook: Partial<WebhookInput> = {}): Promise<string> {
    const id = await h.addChannel(name, "healthy");
    h.simulator.addInstance({ name, webhook: { ...PLATFORM_HOOK, ...hook } });
    return id;
  }
  const message = (instance: string, n: number) =>
    ({ event: "messages.upsert", data: { key: { id: `${instance}-${n}` }, message: { conversation: `mensagem ${n}` } } });
  const messageIds = (deliveries: { body: Buffer }[]) =>
    deliveries.map((d) => (JSON.parse(d.body.toString("utf8")) as { data: { key: { id: string } } }).data.key.id);

  it("keeps the platform's webhook whole as the downstream, installs ours, and forwards a message with the original header", async () => {
    const id = await platformChannel("recepcao");
    const before = await find("recepcao");
    expect(before).toMatchObject({ url: PLATFORM_HOOK.url, headers: PLATFORM_HOOK.headers, webhookByEvents: false });

    await pass();
    const secret = await webhookSecretOf(h.sql, h.secretKey, id);
    const after = await find("recepcao");
    expect(after).toMatchObject({
      enabled: true, url: `${server.url}/api/webhooks/evolution/${id}`, headers: { [WEBHOOK_SECRET_HEADER]: secret },
      events: OUR_EVENTS, webhookByEvents: false, webhookBase64: false,
    });
    expect(Object.keys(after.headers as object)).toEqual([WEBHOOK_SECRET_HEADER]);

    const row = await readDownstreamRow(h.sql, id);
    expect(row).toMatchObject({ mode: "adopt", plainUrl: `${PLATFORM}/hook`, adoptedAt: h.clock.now });
    expect(openDownstream(row!, h.secretKey)).toEqual({
      url: "https://platform.example/hook?token=abc", headers: { "X-Platform-Key": "k-123" },
      events: ["MESSAGES_UPSERT", "CONNECTION_UPDATE"], byEvents: false, base64: false,
    });
    expect(await actions(id)).toEqual([{
      outcome: "ok",
      detail: "platform webhook preserved and forwarded: https://platform.example/hook (events 5, per-event URLs off, 1 header(s))",
    }]);

    await h.simulator.emit("recepcao", message("recepcao", 1));
    await settle();
    const [delivered] = platform.accepted();
    expect(delivered.path).toBe("/hook?token=abc");
    expect(delivered.headers["x-platform-key"]).toBe("k-123");
    expect(delivered.headers["content-type"]).toBe("application/json");
    expect(Object.keys(delivered.headers).filter((name) => name.startsWith("x-sentinela"))).toEqual([]);
    expect(delivered).toMatchObject({ event: "messages.upsert", instance: "recepcao" });
    const arrived = server.deliveries.find((d) => d.body.includes("recepcao-1"))!;
    expect(delivered.body.toString("utf8")).toBe(arrived.body);

    // Putting ours back later never drops the downstream.
    h.simulator.addInstance({ name: "recepcao", webhook: { enabled: false, url: "https://platform.example/other" } });
    h.clock.advance(WEBHOOK_CHECK_INTERVAL_MS);
    await pass();
    expect(await find("recepcao")).toMatchObject({ url: `${server.url}/api/webhooks/evolution/${id}`, enabled: true, events: OUR_EVENTS });
    expect(openDownstream((await readDownstreamRow(h.sql, id))!, h.secretKey)?.url).toBe("https://platform.example/hook?token=abc");
    expect((await actions(id)).at(-1)?.detail).not.toMatch(/token|abc|k-123/);
  });

  it("with the downstream failing for 5 minutes, every event still arrives, none twice, in order per instance", async () => {
    const names = ["casa-a", "casa-b"];
    for (const name of names) await platformChannel(name);
    await pass();
    const recoverAt = h.clock.now.getTime() + 5 * 60_000;
    platform.failWhile(() => h.clock.now.getTime() < recoverAt);

    const sent: Record<string, string[]> = { "casa-a": [], "casa-b": [] };
    for (let tick = 0; tick < 80; tick++) {
      if (tick < 12) {
        for (const name of names) {
          await h.simulator.emit(name, message(name, tick));
          sent[name].push(`${name}-${tick}`);
        }
      }
      await settle();
      await retryPass();
      if (platform.accepted().length === 24) break;
      h.clock.advance(30_000);
    }
    expect(platform.received.some((d) => d.status === 503)).toBe(true);
    for (const name of names) {
      const got = messageIds(platform.accepted().filter((d) => d.instance === name));
      expect(got).toEqual(sent[name]);
    }
    expect(h.clock.now.getTime()).toBeGreaterThanOrEqual(recoverAt);
    const ids = await h.sql<{ id: string }[]>`select id from public.channels`;
    for (const { id } of ids) expect(await countForwards(h.sql, id)).toEqual({ pending: 0, failed: 0 });
  });

  it("overlapping retry passes never send one row twice", async () => {
    const names = ["over-a", "over-b", "over-c"];
    for (const name of names) await platformChannel(name);
    await pass();
    platform.failWhile(true);
    for (let n = 0; n < 5; n++) {
      for (const name of names) await h.simulator.emit(name, message(name, n));
    }
    await settle();
    platform.failWhile(false);
    platform.delay(20);
    h.clock.advance(60_000);
    await Promise.all([retryPass(), retryPass(), retryPass()]);
    const accepted = messageIds(platform.accepted());
    expect(accepted).toHaveLength(15);
    expect(new Set(accepted).size).toBe(15);
  });

  it("stores the downstream before touching the gateway: a failed install keeps it, and the next due pass puts ours in", async () => {
    const id = await platformChannel("teimoso");
    const providers = createProviders({ timeoutMs: 2000 });
    const evolution = { ...providers.evolution, setWebhook: async () => { throw new ProviderError("provider_down", "setWebhook: gateway timed out"); } };
    await h.pass({}, { webhookBaseUrl: server.url, webhookAdoption: adoption(), providers: { ...providers, evolution } });
    expect(await find("teimoso")).toMatchObject({ url: PLATFORM_HOOK.url });
    expect(openDownstream((await readDownstreamRow(h.sql, id))!, h.secretKey)?.url).toBe(PLATFORM_HOOK.url);
    expect(await actions(id)).toEqual([{
      outcome: "failed",
      detail: "platform webhook https://platform.example/hook kept as this channel's downstream; installing ours failed: provider_down: setWebhook: gateway timed out",
    }]);

    h.clock.advance(WEBHOOK_CHECK_INTERVAL_MS);
    await pass();
    expect(await find("teimoso")).toMatchObject({ url: `${server.url}/api/webhooks/evolution/${id}`, events: OUR_EVENTS });
    expect((await actions(id)).at(-1)).toEqual({
      outcome: "ok",
      detail: expect.stringContaining("the channel's downstream (https://platform.example/hook) is kept and still forwarded to"),
    });
    expect(openDownstream((await readDownstreamRow(h.sql, id))!, h.secretKey)?.url).toBe(PLATFORM_HOOK.url);
  });

  it("a platform webhook with base64 media is not adopted: mode off with the reason, the gateway untouched", async () => {
    const id = await platformChannel("midia", { base64: true });
    const before = await find("midia");
    await pass();
    expect(await find("midia")).toEqual(before);
    expect(h.simulator.stats("midia").calls["POST /webhook/set"] ?? 0).toBe(0);
    expect(await mode(id)).toEqual({ mode: "off", reason: expect.stringMatching(/^base64: the platform's webhook sends media as base64/) });
    expect(await actions(id)).toEqual([{ outcome: "skipped", detail: expect.stringMatching(/^platform webhook to https:\/\/platform\.example\/hook left untouched; webhook mode set to off/) }]);
    expect(await readDownstreamRow(h.sql, id)).toMatchObject({ plainUrl: null, urlCiphertext: null });
  });

  it("a platform webhook on a private address is not adopted unless GATEWAY_ALLOWED_HOSTS allows it", async () => {
    const id = await platformChannel("interna", { url: "http://10.20.0.5:8080/hook?token=abc" });
    const before = await find("interna");
    await pass({ resolver: outbound.resolver });
    expect(await find("interna")).toEqual(before);
    expect(await mode(id)).toEqual({ mode: "off", reason: expect.stringMatching(/^address: 10\.20\.0\.5 is a private network address/) });

    const allowed = await platformChannel("interna-ok", { url: "http://10.20.0.6:8080/hook?token=abc" });
    await pass({ ...outbound, allowed: parseAllowList("10.20.0.0/16") });
    expect(await mode(allowed)).toEqual({ mode: "adopt", reason: null });
    expect(openDownstream((await readDownstreamRow(h.sql, allowed))!, h.secretKey)?.url).toBe("http://10.20.0.6:8080/hook?token=abc");
  });

  it("mode manage replaces a foreign webhook (logging only its origin and path); mode off never calls the webhook API", async () => {
    const managed = await platformChannel("gerenciado");
    await h.sql`update public.channels set webhook_mode = 'manage' where id = ${managed}`;
    const untouched = await platformChannel("intocado");
    await h.sql`update public.channels set webhook_mode = 'off' where id = ${untouched}`;
    const before = await find("intocado");
    const callsBefore = webhookCalls("intocado");

    await pass();
    h.clock.advance(WEBHOOK_CHECK_INTERVAL_MS);
    await pass();
    expect(await find("gerenciado")).toMatchObject({ url: `${server.url}/api/webhooks/evolution/${managed}` });
    expect(await actions(managed)).toEqual([{ outcome: "ok", detail: expect.stringContaining("URL changed (gateway had https://platform.example/hook)") }]);
    expect((await actions(managed))[0].detail).not.toContain("token");
    expect(await readDownstreamRow(h.sql, managed)).toMatchObject({ plainUrl: null });

    // Only the test's own read above: the monitor neither read nor set it.
    expect(webhookCalls("intocado")).toBe(callsBefore);
    expect(await find("intocado")).toEqual(before);
    expect(await actions(untouched)).toEqual([]);
  });

  it("answers 200 and forwards an oversized body and a body that is not a gateway event, for an adopted channel", async () => {
    const id = await platformChannel("grande");
    await pass();
    const secret = await webhookSecretOf(h.sql, h.secretKey, id);
    const post = (body: string) => fetch(`${server.url}/api/webhooks/evolution/${id}`, {
      method: "POST", headers: { "content-type": "application/json", [WEBHOOK_SECRET_HEADER]: secret }, body,
    });
    const big = JSON.stringify(evolutionEvent("messages.upsert", "grande", { thumbnail: "x".repeat(3 * 1024 * 1024) }, new Date()));
    const response = await post(big);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, event: "", outcome: "forwarded" });
    const odd = await post("not json at all");
    expect(odd.status).toBe(200);
    await settle();
    // Too large to queue (> 8 MiB): sent from the request itself, before the answer.
    const huge = JSON.stringify(evolutionEvent("messages.upsert", "grande", { video: "y".repeat(9 * 1024 * 1024) }, new Date()));
    expect((await post(huge)).status).toBe(200);
    expect(platform.accepted().map((d) => d.body.toString("utf8"))).toEqual([big, "not json at all", huge]);
    // Still refused without the secret, and never forwarded then.
    const stranger = await fetch(`${server.url}/api/webhooks/evolution/${id}`, { method: "POST", body: big });
    expect(stranger.status).toBe(401);
    await settle();
    expect(platform.received).toHaveLength(3);
  });
});
