import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseEvolutionWebhookEvent } from "@/lib/providers/evolution-webhook";
import type { WebhookEvent } from "@/lib/providers/types";
import { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from "@/test/fixtures/webhook-receiver";
import type { SimulatorOptions } from "./model";
import { startEvolutionSimulator, type EvolutionSimulator } from "./server";

const KEY = "sim-test-key";
const running: Array<{ stop(): Promise<void> }> = [];
let receiver: WebhookReceiver;

async function start(options: Partial<SimulatorOptions> = {}): Promise<EvolutionSimulator> {
  const sim = await startEvolutionSimulator({ globalApiKey: KEY, seed: 42, connectLatencyMs: 40, ...options });
  running.push(sim);
  return sim;
}

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  running.push(receiver);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((thing) => thing.stop()));
});

async function call(sim: EvolutionSimulator, path: string, init: { method?: string; key?: string | null; body?: unknown } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.key !== null) headers.apikey = init.key ?? KEY;
  const response = await fetch(`${sim.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const raw = await response.text();
  return { status: response.status, raw, body: raw ? (JSON.parse(raw) as unknown) : undefined };
}

function webhook(events?: string[], extra: Record<string, unknown> = {}) {
  return { enabled: true, url: `${receiver.url}/hook`, headers: { authorization: "Bearer ch-secret" }, events, ...extra };
}

const parsed = (deliveries: ReceivedDelivery[]) => deliveries.map((delivery) => parseEvolutionWebhookEvent(delivery.body));
const connection = (event: WebhookEvent) => (event.kind === "connection" ? event : undefined);

describe("Evolution API surface", () => {
  it("answers the gateway's exact error bodies", async () => {
    const sim = await start();
    sim.addInstance({ name: "a" });
    expect(await call(sim, "/instance/connectionState/a", { key: "wrong" })).toMatchObject({
      status: 401,
      raw: '{"status":401,"error":"Unauthorized","response":{"message":"Unauthorized"}}',
    });
    expect(await call(sim, "/instance/connectionState/a", { key: null })).toMatchObject({ status: 401 });
    expect(await call(sim, "/instance/connectionState/x")).toMatchObject({
      status: 404,
      raw: '{"status":404,"error":"Not Found","response":{"message":["The \\"x\\" instance does not exist"]}}',
    });
    expect(await call(sim, "/instance/restart/a", { method: "PUT" })).toMatchObject({ status: 404 });
    expect(sim.stats("a").calls).toEqual({ "GET /instance/connectionState": 2, "PUT /instance/restart": 1 });
  });

  it("restart of a closed instance is HTTP 200 with error:true; logout of a closed one is 400", async () => {
    const sim = await start();
    sim.addInstance({ name: "c", scenario: "logged_out" });
    expect(await call(sim, "/instance/restart/c", { method: "POST" })).toEqual({
      status: 200,
      raw: '{"error":true,"message":"[object Object]"}',
      body: { error: true, message: "[object Object]" },
    });
    expect((await call(sim, "/instance/logout/c", { method: "DELETE" })).status).toBe(400);
  });

  it("webhook/set rejects unknown event names (GROUPS_UPDATE) with 400 and stores nothing", async () => {
    const sim = await start();
    sim.addInstance({ name: "w" });
    const answer = await call(sim, "/webhook/set/w", { method: "POST", body: { webhook: webhook(["GROUPS_UPDATE"]) } });
    expect(answer.status).toBe(400);
    expect(answer.raw).toContain("webhook.events[0] is not one of enum values");
    expect(sim.stats("w").webhook).toBeNull();
    expect((await call(sim, "/webhook/set/w", { method: "POST", body: { webhook: webhook(["GROUP_UPDATE"]) } })).status).toBe(201);
  });

  it("webhook/set with enabled and no events subscribes to all; disabled keeps none", async () => {
    const sim = await start();
    sim.addInstance({ name: "w" });
    await call(sim, "/webhook/set/w", { method: "POST", body: { webhook: webhook([]) } });
    expect(sim.stats("w").webhook?.events).toContain("CONNECTION_UPDATE");
    await call(sim, "/webhook/set/w", { method: "POST", body: { webhook: { ...webhook(["CALL"]), enabled: false } } });
    expect(sim.stats("w").webhook).toMatchObject({ enabled: false, events: [] });
  });

  it("drops_and_recovers comes back by itself after recoverAfterMs", async () => {
    const sim = await start();
    sim.addInstance({ name: "d", scenario: "drops_and_recovers", recoverAfterMs: 80 });
    expect(sim.stats("d")).toMatchObject({ state: "close", reasonCode: 428 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sim.stats("d").state).toBe("open");
  });

  it("after too many QR codes the instance is refused and connect answers the odd status shape", async () => {
    const sim = await start({ qrLimit: 2, qrRefreshMs: 30 });
    sim.addInstance({ name: "q", scenario: "logged_out" });
    expect((await call(sim, "/instance/connect/q")).body).toMatchObject({ code: expect.stringMatching(/^2@/), count: 1 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(sim.stats("q")).toMatchObject({ state: "refused", qr: null });
    expect((await call(sim, "/instance/connect/q")).body).toEqual({ instance: { instanceName: "q", status: "refused" }, qrcode: { count: 0 } });
    expect(() => sim.pair("q")).toThrow(/no QR code/);
  });
});

describe("webhook delivery", () => {
  it("delivers a drop as a burst, every event twice, with the configured headers", async () => {
    const sim = await start({ webhook: { duplicateRate: 1, reorderRate: 0, burstSize: 3 } });
    sim.addInstance({ name: "b", webhook: webhook(["CONNECTION_UPDATE"]) });
    sim.setScenario("b", "drops_and_recovers", { recoverAfterMs: 60_000 });
    const deliveries = await receiver.waitFor(6);
    await sim.idle();
    expect(deliveries).toHaveLength(6);
    expect(deliveries.every((delivery) => delivery.headers.authorization === "Bearer ch-secret")).toBe(true);

    const events = parsed(deliveries).map(connection);
    expect(events.map((event) => event?.state)).toEqual(["close", "close", "connecting", "connecting", "close", "close"]);
    expect(new Set(events.map((event) => event?.dedupeKey)).size).toBe(3);
    const latest = [...events].sort((a, b) => (b?.occurredAt.getTime() ?? 0) - (a?.occurredAt.getTime() ?? 0))[0];
    expect(latest).toMatchObject({ state: "close", reasonCode: 428 });
    expect(sim.stats("b").deliveries).toEqual({ delivered: 6, failed: 0, attempts: 6 });
  });

  it("reorders neighbours, so arrival order is not event order", async () => {
    const sim = await start({ webhook: { duplicateRate: 0, reorderRate: 1, burstSize: 4 } });
    sim.addInstance({ name: "r", webhook: webhook(["CONNECTION_UPDATE"]) });
    sim.setScenario("r", "replaced");
    const times = (await receiver.waitFor(4)).map((delivery) => (delivery.body as { date_time: string }).date_time);
    const order = times.map((time) => [...times].sort().indexOf(time));
    expect(order).toEqual([1, 0, 3, 2]);
  });

  it("is deterministic for a seed: the same operations give the same duplicates and order", async () => {
    const pattern = async () => {
      const local = await startWebhookReceiver();
      running.push(local);
      const sim = await start({ seed: 1234, webhook: { duplicateRate: 0.5, reorderRate: 0.5, burstSize: 8 } });
      sim.addInstance({ name: "s", webhook: { ...webhook(["CONNECTION_UPDATE"]), url: local.url } });
      sim.setScenario("s", "drops_and_recovers", { recoverAfterMs: 60_000 });
      await sim.idle();
      const times = local.received.map((delivery) => (delivery.body as { date_time: string }).date_time);
      const distinct = [...new Set(times)].sort();
      return times.map((time) => distinct.indexOf(time));
    };
    const first = await pattern();
    expect(first.length).toBeGreaterThan(8); // some duplicates
    expect(await pattern()).toEqual(first);
  });

  it("only sends subscribed events, to <url>/<event> when byEvents is set", async () => {
    const sim = await start({ webhook: { duplicateRate: 0, reorderRate: 0 } });
    sim.addInstance({ name: "f", webhook: webhook(["QRCODE_UPDATED"], { byEvents: true }) });
    sim.setScenario("f", "logged_out");
    await sim.idle();
    expect(receiver.received).toHaveLength(0);

    await call(sim, "/instance/connect/f");
    const [qr] = await receiver.waitFor(1);
    expect(qr.path).toBe("/hook/qrcode-updated");
    expect(parseEvolutionWebhookEvent(qr.body)).toMatchObject({ kind: "qrcode", instance: "f", code: sim.stats("f").qr?.code });
  });

  it("builds per-event URLs as Evolution does: plain concatenation, after the query string too", async () => {
    const sim = await start({ webhook: { duplicateRate: 0, reorderRate: 0 } });
    sim.addInstance({ name: "g", webhook: { ...webhook(["MESSAGES_UPSERT"], { byEvents: true }), url: `${receiver.url}/hook?token=abc` } });
    await sim.emit("g", { event: "messages.upsert", data: { key: { id: "m1" } } });
    sim.addInstance({ name: "h", webhook: { ...webhook(["MESSAGES_UPSERT"], { byEvents: true }), url: `${receiver.url}/hook/` } });
    await sim.emit("h", { event: "messages.upsert", data: { key: { id: "m2" } } });
    const paths = (await receiver.waitFor(2)).map((delivery) => delivery.path);
    expect(paths).toEqual(["/hook?token=abc/messages-upsert", "/hook//messages-upsert"]);
  });

  it("pairing shows up as close 515, connecting, open", async () => {
    const sim = await start({ webhook: { duplicateRate: 0, reorderRate: 0 } });
    sim.addInstance({ name: "p", scenario: "logged_out", webhook: webhook(["CONNECTION_UPDATE"]) });
    await call(sim, "/instance/connect/p");
    await sim.idle();
    const before = receiver.received.length;
    sim.pair("p");
    await sim.idle();
    const after = parsed(receiver.received.slice(before)).map(connection);
    expect(after.map((event) => [event?.state, event?.reasonCode])).toEqual([
      ["close", 515],
      ["connecting", undefined],
      ["open", undefined],
    ]);
  });

  it("retries failures with backoff, but not a 400", async () => {
    const sim = await start({ webhook: { duplicateRate: 0, reorderRate: 0, retryBaseMs: 10 } });
    sim.addInstance({ name: "t", webhook: webhook(["CONNECTION_UPDATE"]) });
    receiver.respondWith([500, 503]);
    await sim.emit("t");
    expect(receiver.received.map((delivery) => delivery.status)).toEqual([500, 503, 200]);
    expect(sim.stats("t").deliveries).toEqual({ delivered: 1, failed: 0, attempts: 3 });

    receiver.respondWith([400]);
    const [result] = await sim.emit("t", { state: "close", statusReason: 408 });
    expect(result).toMatchObject({ status: 400, attempts: 1 });
    expect(sim.stats("t").deliveries.failed).toBe(1);
  });

  it("logout over the API delivers logout.instance and a close with 401", async () => {
    const sim = await start({ webhook: { duplicateRate: 0, reorderRate: 0 } });
    sim.addInstance({ name: "l", webhook: webhook(["CONNECTION_UPDATE", "LOGOUT_INSTANCE", "STATUS_INSTANCE"]) });
    expect((await call(sim, "/instance/logout/l", { method: "DELETE" })).body).toMatchObject({ status: "SUCCESS", error: false });
    await sim.idle();
    const kinds = parsed(receiver.received).map((event) => event.kind);
    expect(kinds.sort()).toEqual(["connection", "logout", "status"]);
    expect(sim.stats("l")).toMatchObject({ state: "close", reasonCode: 401, scenario: "logged_out", needsQr: true });
  });
});

describe("control API", () => {
  it("creates, switches, emits, pairs, lists with counters and resets", async () => {
    const sim = await start({ webhook: { duplicateRate: 0, reorderRate: 0 } });
    const control = (path: string, method = "GET", body?: unknown) => call(sim, `/__control${path}`, { method, body, key: null });

    expect(await control("/instances", "POST", { name: "k", token: "tok-k", webhook: webhook(["CONNECTION_UPDATE"]) })).toMatchObject({
      status: 201,
      body: { name: "k", token: "tok-k", state: "open", scenario: "healthy" },
    });
    expect((await control("/instances", "POST", { instances: [{ name: "k2" }, { name: "k3", scenario: "slow", latencyMs: 5 }] })).status).toBe(201);
    expect(await control("/instances/k/scenario", "POST", { scenario: "logged_out" })).toMatchObject({
      status: 200,
      body: { state: "close", reasonCode: 401, needsQr: true },
    });
    expect(await control("/instances/k/pair", "POST")).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });
    await call(sim, "/instance/connect/k", { key: "tok-k" });
    expect(await control("/instances/k/pair", "POST")).toMatchObject({ status: 200, body: { state: "open" } });
    expect(await control("/instances/k/emit", "POST", { state: "close", statusReason: 408 })).toMatchObject({
      status: 200,
      body: { sent: 1, results: [{ status: 200, attempts: 1 }] },
    });

    const list = await control("/instances");
    const k = (list.body as { instances: Array<{ name: string; calls: Record<string, number> }> }).instances.find((row) => row.name === "k");
    expect(k?.calls).toEqual({ "GET /instance/connect": 1 });
    expect(await control("/instances/nope/scenario", "POST", { scenario: "healthy" })).toMatchObject({ status: 404 });
    expect(await control("/instances/k/scenario", "POST", { scenario: "on_fire" })).toMatchObject({ status: 400 });
    expect(await control("/reset", "POST")).toMatchObject({ status: 200 });
    expect((await control("/instances")).body).toEqual({ instances: [] });
  });
});

describe("scale", () => {
  it("answers 2,000 instances at 100 ms latency each, all at once, in about the latency", async () => {
    const sim = await start({ latencyMs: 100 });
    for (let i = 0; i < 2000; i += 1) sim.addInstance({ name: `inst-${i}` });
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 2000 }, (_unused, i) => call(sim, `/instance/connectionState/inst-${i}`)),
    );
    const elapsed = performance.now() - started;
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(elapsed).toBeLessThan(5000);
  }, 20_000);

  it("stops promptly even with requests hanging", async () => {
    const sim = await start();
    sim.addInstance({ name: "h", scenario: "gateway_down", downMode: "hang" });
    const pending = fetch(`${sim.url}/instance/connectionState/h`, { headers: { apikey: KEY } }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await sim.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe("2.3.6 behaviours seen on a real gateway", () => {
  it("a never-paired instance reads close with no reason and no owner; restart is refused; connect pairs", async () => {
    const sim = await start();
    sim.addInstance({ name: "n", scenario: "never_paired" });
    expect((await call(sim, "/instance/connectionState/n")).body).toEqual({ instance: { instanceName: "n", state: "close" } });
    const [row] = (await call(sim, "/instance/fetchInstances?instanceName=n")).body as Array<Record<string, unknown>>;
    expect(row).toMatchObject({ connectionStatus: "close", ownerJid: null, profileName: null, disconnectionReasonCode: null });
    expect((await call(sim, "/instance/restart/n", { method: "POST" })).raw).toBe('{"error":true,"message":"[object Object]"}');
    const qr = (await call(sim, "/instance/connect/n")).body as { code?: string };
    expect(qr.code).toMatch(/^2@/);
    sim.pair("n");
    const [paired] = (await call(sim, "/instance/fetchInstances?instanceName=n")).body as Array<Record<string, unknown>>;
    expect(paired).toMatchObject({ connectionStatus: "open" });
    expect(paired.ownerJid).toMatch(/@s\.whatsapp\.net$/);
  });

  it("after a gateway restart a logged-out instance reads connecting and emits QR codes, not close 401", async () => {
    const sim = await start();
    sim.addInstance({ name: "out", scenario: "logged_out", webhook: webhook(["CONNECTION_UPDATE", "QRCODE_UPDATED"]) });
    sim.addInstance({ name: "ok" });
    await sim.idle();
    const before = receiver.received.length;
    await sim.restartGateway();
    expect((await call(sim, "/instance/connectionState/out")).body).toEqual({ instance: { instanceName: "out", state: "connecting" } });
    expect((await call(sim, "/instance/connectionState/ok")).body).toEqual({ instance: { instanceName: "ok", state: "open" } });
    await sim.idle();
    const kinds = parsed(receiver.received.slice(before)).map((event) => event.kind);
    expect(kinds).toContain("qrcode");
    expect(parsed(receiver.received.slice(before)).map(connection).filter(Boolean).map((event) => event?.state)).not.toContain("close");
    expect(sim.stats("out").needsQr).toBe(true);
  });
});

describe("two reads, two sources: fetchInstances lists the stored status, connectionState the live one", () => {
  const listed = async (sim: EvolutionSimulator, name: string) =>
    ((await call(sim, "/instance/fetchInstances")).body as Array<{ name: string; connectionStatus: string }>).find(
      (row) => row.name === name,
    )?.connectionStatus;
  const live = async (sim: EvolutionSimulator, name: string) =>
    ((await call(sim, `/instance/connectionState/${name}`)).body as { instance: { state: string } }).instance.state;

  it("a reconnectable close is never stored: the instance is listed open while it reads close", async () => {
    const sim = await start();
    sim.addInstance({ name: "drop", scenario: "drops_and_recovers", recoverAfterMs: 60_000 });
    sim.addInstance({ name: "out", scenario: "logged_out" });
    expect([await live(sim, "drop"), await listed(sim, "drop")]).toEqual(["close", "open"]);
    // 401 is a close 2.3.6 does not reconnect from: that one is written.
    expect([await live(sim, "out"), await listed(sim, "out")]).toEqual(["close", "close"]);
  });

  it("the stored status follows the live one only after statusStoreDelayMs", async () => {
    const sim = await start({ statusStoreDelayMs: 150 });
    sim.addInstance({ name: "n", scenario: "never_paired" });
    await call(sim, "/instance/connect/n");
    sim.pair("n");
    expect([await live(sim, "n"), await listed(sim, "n")]).toEqual(["open", "close"]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await listed(sim, "n")).toBe("open");
    sim.setScenario("n", "logged_out");
    expect([await live(sim, "n"), await listed(sim, "n")]).toEqual(["close", "open"]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await listed(sim, "n")).toBe("close");
  });

  it("an instance can be listed connected that never connected (storedStatus), through the control API too", async () => {
    const sim = await start();
    const created = await fetch(`${sim.url}/__control/instances`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "ghost", scenario: "never_paired", storedStatus: "open" }),
    });
    expect(created.status).toBe(201);
    expect([await live(sim, "ghost"), await listed(sim, "ghost")]).toEqual(["close", "open"]);
    expect(sim.stats("ghost")).toMatchObject({ state: "close", storedStatus: "open" });
  });
});
