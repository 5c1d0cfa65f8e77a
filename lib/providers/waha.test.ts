import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWahaSimulator, type WahaSimulator } from "@/dev/waha-simulator/server";
import { classifyReport } from "@/lib/monitor/classify-state";
import { reconnectChannel } from "@/lib/monitor/reconnect-channel";
import { stateReportOf } from "@/lib/webhooks/apply-webhook-event";
import { NotGlobalKeyError, ProviderError, type ChannelTarget, type OwnWebhook, type WebhookEvent } from "@/lib/providers/types";
import { createWahaProvider } from "@/lib/providers/waha";
import { parseWahaWebhookEvent } from "@/lib/providers/waha-webhook";

/**
 * The WAHA adapter beyond the shared scenarios (contract.test.ts): its reasons, the QR flow, the
 * webhook list it must never trim, imports, and WAHA's own awkward answers.
 */

const KEY = "waha-test-key";
const provider = createWahaProvider({ timeoutMs: 1500 });
let sim: WahaSimulator;

beforeAll(async () => {
  sim = await startWahaSimulator({ apiKey: KEY, startLatencyMs: 40, qrWaitMs: 120 });
});
afterAll(async () => {
  await sim.stop();
});

const target = (name: string, overrides: Partial<ChannelTarget> = {}): ChannelTarget => ({
  baseUrl: sim.url, instanceName: name, apiKey: KEY, ...overrides,
});

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("states, in Sentinela's words", () => {
  it.each([
    ["healthy", "connected", "open", "WORKING"],
    ["stopped", "disconnected", "session stopped on the gateway", "STOPPED"],
    ["failed", "disconnected", "session failed on the gateway", "FAILED"],
    ["logged_out", "disconnected", "session failed on the gateway", "FAILED"],
    ["needs_qr", "needs_qr", "waiting for a QR scan (gateway is showing a QR code)", "SCAN_QR_CODE"],
    ["stuck_starting", "connecting", "connecting", "STARTING"],
  ] as const)("%s → %s (%s), the gateway's own word kept", async (scenario, state, reason, word) => {
    sim.addSession({ name: `st-${scenario}`, scenario });
    const observation = classifyReport(await provider.getState(target(`st-${scenario}`)));
    expect(observation).toMatchObject({ state, reason, gatewayState: word });
  });

  it("a name that needs encoding reaches the right session", async () => {
    sim.addSession({ name: "casa 12/ñ", scenario: "healthy" });
    expect((await provider.getState(target("casa 12/ñ"))).state).toBe("open");
  });

  it("WAHA's 500 echoes the request back: the snippet keeps no header value nor key", async () => {
    sim.addSession({ name: "st-500", scenario: "gateway_down", downMode: "500" });
    const error = await caught(provider.getState(target("st-500")));
    expect(error).toMatchObject({ kind: "provider_down", detail: { status: 500 } });
    const echoed = '{"request":{"body":{"config":{"webhooks":[{"customHeaders":[{"name":"x-platform","value":"platform-secret"}],"hmac":{"key":"k-123"}}]}}}}';
    const { snippetOf } = await import("@/lib/providers/http");
    expect(snippetOf(echoed)).not.toMatch(/platform-secret|k-123/);
  });
});

describe("reconnect and QR", () => {
  it("restart brings a failed session back (POST …/restart, 201): the reconnect is ok and the next read is WORKING", async () => {
    sim.addSession({ name: "rc-failed", scenario: "failed" });
    const calls = await reconnectChannel(provider, target("rc-failed"));
    expect(calls).toEqual([{ kind: "reconnect", outcome: "ok", detail: "restart: gateway is connecting" }]);
    expect(sim.stats("rc-failed").calls["POST /api/sessions/{name}/restart"]).toBe(1);
    await until(() => sim.stats("rc-failed").status === "WORKING");
  });

  it("a session whose phone unlinked the device comes back from a restart waiting for a scan: needs_qr, which the monitor never restarts", async () => {
    sim.addSession({ name: "rc-unlinked", scenario: "logged_out" });
    await provider.restart(target("rc-unlinked"));
    await until(() => sim.stats("rc-unlinked").status === "SCAN_QR_CODE");
    expect(classifyReport(await provider.getState(target("rc-unlinked"))).state).toBe("needs_qr");
  });

  it("connect on SCAN_QR_CODE answers WAHA's current code (GET /api/{session}/auth/qr?format=raw); the scan brings WORKING", async () => {
    sim.addSession({ name: "qr-show", scenario: "needs_qr" });
    const result = await provider.connect(target("qr-show"));
    expect(result).toMatchObject({ kind: "qr", pairingCode: null, count: 0 });
    if (result.kind === "qr") expect(result.code).toBe(sim.stats("qr-show").qr);
    sim.pair("qr-show");
    expect(await provider.connect(target("qr-show"))).toEqual({ kind: "open" });
  });

  it("connect on a stopped session starts it (WAHA shows no QR for a stopped one: 404), and the code follows", async () => {
    sim.addSession({ name: "qr-stopped", scenario: "needs_qr" });
    sim.setScenario("qr-stopped", "stopped");
    const direct = await fetch(`${sim.url}/api/qr-stopped/auth/qr?format=raw`, { headers: { "x-api-key": KEY } });
    expect(direct.status).toBe(404);
    expect(await provider.connect(target("qr-stopped"))).toEqual({ kind: "pending", count: 0 });
    expect(sim.stats("qr-stopped").calls["POST /api/sessions/{name}/start"]).toBe(1);
    await until(() => sim.stats("qr-stopped").status === "SCAN_QR_CODE");
    expect(await provider.connect(target("qr-stopped"))).toMatchObject({ kind: "qr" });
  });

  it("connect on a failed session restarts it", async () => {
    sim.addSession({ name: "qr-failed", scenario: "failed" });
    expect(await provider.connect(target("qr-failed"))).toMatchObject({ kind: "pending" });
    expect(sim.stats("qr-failed").calls["POST /api/sessions/{name}/restart"]).toBe(1);
  });

  it("asking a QR of a session that shows none: WAHA waits, then 422 with its own object: a rejection", async () => {
    sim.addSession({ name: "qr-422", scenario: "healthy" });
    const response = await fetch(`${sim.url}/api/qr-422/auth/qr?format=raw`, { headers: { "x-api-key": KEY } });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ status: "WORKING", expected: ["SCAN_QR_CODE"] });
  });
});

describe("webhooks: the platform's entries are never touched", () => {
  const OWN: OwnWebhook = { url: "https://sentinela.example/api/webhooks/waha/ch-1", secretHeader: "x-sentinela-webhook-secret" };
  const platform = {
    url: "https://platform.example/hooks/waha?token=abc",
    events: ["message", "message.any"],
    hmac: { key: "platform-hmac" },
    retries: { policy: "exponential", delaySeconds: 2, attempts: 15 },
    customHeaders: [{ name: "Authorization", value: "Bearer platform-token" }],
  };
  const config = { metadata: { "user.id": "42" }, proxy: { server: "proxy.example:3128" }, webhooks: [platform] };
  const ours = {
    enabled: true, url: OWN.url, events: ["session.status", "message"],
    headers: { "x-sentinela-webhook-secret": "s3cret" }, byEvents: false, base64: false,
  };

  it("reads only Sentinela's entry (none yet), and the first entry when asked without one (imports)", async () => {
    sim.addSession({ name: "wh-read", scenario: "healthy", config });
    expect(await provider.getWebhook(target("wh-read"), OWN)).toBeNull();
    expect(await provider.getWebhook(target("wh-read"))).toMatchObject({ url: platform.url, enabled: true });
  });

  it("installing ours keeps the platform's entry and the rest of the config exactly (one PUT of the whole config)", async () => {
    sim.addSession({ name: "wh-set", scenario: "healthy", config });
    const stored = await provider.setWebhook(target("wh-set"), ours, OWN);
    expect(stored).toEqual(ours);
    const after = sim.stats("wh-set");
    expect(after.config).toEqual({ ...config, webhooks: [platform, { url: OWN.url, events: ours.events, customHeaders: [{ name: "x-sentinela-webhook-secret", value: "s3cret" }] }] });
    expect(after.calls["PUT /api/sessions/{name}"]).toBe(1);
    await until(() => sim.stats("wh-set").status === "WORKING");
    expect(await provider.getWebhook(target("wh-set"), OWN)).toEqual(ours);
  });

  it("an entry of ours at an older URL (found by its secret header) is replaced, not doubled; disabling removes only ours", async () => {
    const old = { url: "https://old-app.example/api/webhooks/waha/ch-1", events: ["session.status"], customHeaders: [{ name: "X-Sentinela-Webhook-Secret", value: "old" }] };
    sim.addSession({ name: "wh-move", scenario: "healthy", config: { webhooks: [platform, old] } });
    expect(await provider.getWebhook(target("wh-move"), OWN)).toMatchObject({ url: old.url });
    await provider.setWebhook(target("wh-move"), ours, OWN);
    expect(sim.stats("wh-move").config.webhooks?.map((entry) => entry.url)).toEqual([platform.url, OWN.url]);
    expect(await provider.setWebhook(target("wh-move"), { ...ours, enabled: false }, OWN)).toMatchObject({ enabled: false });
    expect(sim.stats("wh-move").config.webhooks).toEqual([platform]);
  });

  it("refuses event names WAHA does not know, without calling it", async () => {
    sim.addSession({ name: "wh-bad", scenario: "healthy" });
    const error = await caught(provider.setWebhook(target("wh-bad"), { ...ours, events: ["session.status", "CONNECTION_UPDATE"] }, OWN));
    expect(error).toMatchObject({ kind: "rejected" });
    expect(error.message).toContain("CONNECTION_UPDATE");
    expect(sim.stats("wh-bad").calls["PUT /api/sessions/{name}"]).toBeUndefined();
  });

  it("a status change reaches our receiver with our header, and reads as the same report a check gives", async () => {
    const received: { headers: IncomingMessage["headers"]; body: unknown }[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/waha/ch-2`;
    try {
      sim.addSession({ name: "wh-push", scenario: "healthy" });
      await provider.setWebhook(target("wh-push"), { ...ours, url }, { ...OWN, url });
      await until(() => sim.stats("wh-push").status === "WORKING");
      sim.logOutFromPhone("wh-push");
      await sim.idle();
      const statuses = received.map((delivery) => (delivery.body as { payload: { status: string } }).payload.status);
      // The update stopped the session under the old config (without us), then started it under the new one.
      expect(statuses).toEqual(["STARTING", "WORKING", "FAILED"]);
      expect(received.every((delivery) => delivery.headers["x-sentinela-webhook-secret"] === "s3cret")).toBe(true);
      const event = parseWahaWebhookEvent(received.at(-1)!.body) as Extract<WebhookEvent, { kind: "connection" }>;
      expect(event).toMatchObject({ kind: "connection", instance: "wh-push", state: "close", closedOnGateway: "failed", gatewayStatus: "FAILED" });
      expect(classifyReport(stateReportOf(event)!)).toMatchObject({ state: "disconnected", reason: "session failed on the gateway" });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("webhook deliveries", () => {
  const delivery = (overrides: Record<string, unknown> = {}) => ({
    id: "evt_01aaaaaaaaaaaaaaaaaaaaaaaa", timestamp: 1_767_000_000_000, session: "default", metadata: {}, engine: "NOWEB",
    event: "session.status", payload: { name: "default", status: "SCAN_QR_CODE" }, me: null, environment: {}, ...overrides,
  });

  it("session.status → a connection event with WAHA's time and a key from its event id", () => {
    const event = parseWahaWebhookEvent(delivery());
    expect(event).toMatchObject({ kind: "connection", instance: "default", state: "connecting", awaitingScan: true });
    if (event.kind !== "connection") return;
    expect(event.occurredAt.toISOString()).toBe(new Date(1_767_000_000_000).toISOString());
    expect(parseWahaWebhookEvent(delivery({ payload: { status: "WORKING" } }))).toMatchObject({ dedupeKey: event.dedupeKey });
    expect(parseWahaWebhookEvent(delivery({ id: "evt_other" }))).not.toMatchObject({ dedupeKey: event.dedupeKey });
  });

  it("a delivery without id and timestamp (WAHA up to 2024.10) is read, keyed by its content", () => {
    const old = delivery({ id: undefined, timestamp: undefined });
    const a = parseWahaWebhookEvent(old);
    expect(a).toMatchObject({ kind: "connection", state: "connecting" });
    expect(parseWahaWebhookEvent(old)).toMatchObject({ dedupeKey: (a as { dedupeKey: string }).dedupeKey });
  });

  it.each([
    ["not an object", "[]"],
    ["no event", { session: "x" }],
    ["an unknown status", delivery({ payload: { status: "SLEEPING" } })],
    ["no session", delivery({ session: "" })],
  ])("%s is invalid_response", (_what, body) => {
    expect(() => parseWahaWebhookEvent(typeof body === "string" ? JSON.parse(body) : body)).toThrow(ProviderError);
  });

  it("messages and every other event are acknowledged as ignored (signs of life)", () => {
    expect(parseWahaWebhookEvent(delivery({ event: "message", payload: { body: "oi" } }))).toEqual({ kind: "ignored", event: "message" });
  });
});

describe("import: GET /api/sessions?all=true", () => {
  it("lists every session, stopped ones included, with phone and name; no per-session token", async () => {
    sim.reset();
    sim.addSession({ name: "im-a", scenario: "healthy", meId: "5512991230100@c.us", pushName: "Recepção" });
    sim.addSession({ name: "im-b", scenario: "stopped" });
    sim.addSession({ name: "im-c", scenario: "needs_qr" });
    const listed = await provider.listInstances({ baseUrl: sim.url, apiKey: KEY });
    expect(listed.map((instance) => [instance.name, instance.connectionStatus, instance.phone])).toEqual([
      ["im-a", "open", "+5512991230100"], ["im-b", "close", null], ["im-c", "connecting", null],
    ]);
    expect(listed[0]).toMatchObject({ profileName: "Recepção" });
    expect(listed.every((instance) => instance.token === undefined)).toBe(true);
  });

  it("a key WAHA refuses is not the global key: NotGlobalKeyError, never a partial list", async () => {
    const error = await caught(provider.listInstances({ baseUrl: sim.url, apiKey: "wrong-key-123" }));
    expect(error).toBeInstanceOf(NotGlobalKeyError);
    expect(error.detail.status).toBe(401);
  });
});
