import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEvolutionSimulator, type EvolutionSimulator } from "@/dev/evolution-simulator/server";
import { EVOLUTION_WEBHOOK_EVENTS } from "@/lib/providers/evolution-schemas";
import { classifyReport } from "@/lib/monitor/classify-state";
import { createEvolutionProvider, type EvolutionProvider } from "@/lib/providers/evolution";
import { ProviderError, type ChannelTarget } from "@/lib/providers/types";

const GLOBAL_KEY = "test-global-key";
const TIMEOUT_MS = 1000;

let sim: EvolutionSimulator;
let provider: EvolutionProvider;

beforeAll(async () => {
  sim = await startEvolutionSimulator({ globalApiKey: GLOBAL_KEY, seed: 7, connectLatencyMs: 60 });
  provider = createEvolutionProvider({ timeoutMs: TIMEOUT_MS });
});

afterAll(async () => {
  await sim.stop();
});

function target(instanceName: string, overrides: Partial<ChannelTarget> = {}): ChannelTarget {
  return { baseUrl: sim.url, instanceName, apiKey: GLOBAL_KEY, ...overrides };
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

// The scenarios every adapter shares (wrong key, unknown instance, reset, HTML page, hang, garbage, a
// 200 with an error body) run in contract.test.ts; these are Evolution's own.
describe("getState classifies every scenario", () => {
  it("healthy → open, with a latency and no reason", async () => {
    sim.addInstance({ name: "st-healthy", latencyMs: 30 });
    const report = await provider.getState(target("st-healthy"));
    expect(report.state).toBe("open");
    expect(report.reasonCode).toBeUndefined();
    expect(report.latencyMs).toBeGreaterThanOrEqual(25);
    // An open instance needs no reason lookup.
    expect(sim.stats("st-healthy").calls["GET /instance/fetchInstances"]).toBeUndefined();
  });

  it.each([
    ["logged_out", 401],
    ["replaced", 440],
    ["drops_and_recovers", 428],
  ] as const)("%s → close with reason %i read from fetchInstances", async (scenario, code) => {
    const name = `st-${scenario}`;
    sim.addInstance({ name, scenario });
    const report = await provider.getState(target(name));
    expect(report).toMatchObject({ state: "close", reasonCode: code });
    expect(sim.stats(name).calls["GET /instance/fetchInstances"]).toBe(1);
  });

  it("close without a recorded reason → close, reasonCode absent", async () => {
    sim.addInstance({ name: "st-close-no-reason", state: "close" });
    const report = await provider.getState(target("st-close-no-reason"));
    expect(report.state).toBe("close");
    expect(report.reasonCode).toBeUndefined();
    expect(report.reasonLookupError).toBeUndefined();
  });

  it("never paired (no owner, no reason) → close marked neverPaired, so it reads needs_qr, not disconnected", async () => {
    sim.addInstance({ name: "st-never-paired", scenario: "never_paired" });
    const report = await provider.getState(target("st-never-paired"));
    expect(report).toMatchObject({ state: "close", neverPaired: true });
    expect(report.reasonCode).toBeUndefined();
    expect(classifyReport(report)).toMatchObject({ state: "needs_qr", reason: "never paired: scan the QR code" });
  });

  it("stuck_connecting → connecting", async () => {
    sim.addInstance({ name: "st-stuck", scenario: "stuck_connecting" });
    expect((await provider.getState(target("st-stuck"))).state).toBe("connecting");
  });

  it("flapping → both open and close show up over time", async () => {
    sim.addInstance({ name: "st-flap", scenario: "flapping", flapIntervalMs: 60 });
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i += 1) {
      seen.add((await provider.getState(target("st-flap"))).state);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect([...seen].sort()).toEqual(["close", "open"]);
  });

  it("the instance's own token is accepted as well as the global key", async () => {
    const { token } = sim.addInstance({ name: "st-token", token: "instance-token-1" });
    expect((await provider.getState(target("st-token", { apiKey: token }))).state).toBe("open");
  });

  it("wrong_api_key → misconfigured (401)", async () => {
    sim.addInstance({ name: "st-wrong-key", scenario: "wrong_api_key" });
    const error = await providerError(provider.getState(target("st-wrong-key")));
    expect(error.kind).toBe("misconfigured");
    expect(error.detail.status).toBe(401);
  });

  it("unknown instance → misconfigured (404), naming the instance", async () => {
    const error = await providerError(provider.getState(target("st-does-not-exist")));
    expect(error).toMatchObject({ kind: "misconfigured", detail: { status: 404 } });
    expect(error.message).toContain('The "st-does-not-exist" instance does not exist');
  });

  it("slow within the timeout → open, with the latency measured", async () => {
    sim.addInstance({ name: "st-slow-ok", scenario: "slow", latencyMs: 150 });
    const report = await provider.getState(target("st-slow-ok"));
    expect(report.state).toBe("open");
    expect(report.latencyMs).toBeGreaterThanOrEqual(140);
  });

  it("slow beyond the timeout → provider_down within about the timeout", async () => {
    sim.addInstance({ name: "st-slow", scenario: "slow" }); // 3000 ms by default
    const fast = createEvolutionProvider({ timeoutMs: 200 });
    const started = performance.now();
    const error = await providerError(fast.getState(target("st-slow")));
    expect(error.kind).toBe("provider_down");
    expect(performance.now() - started).toBeLessThan(900);
  });

  it("a failed reason lookup keeps the state and says why the reason is missing", async () => {
    sim.addInstance({ name: "st-lookup-fails", scenario: "logged_out" });
    let calls = 0;
    const flaky = createEvolutionProvider({
      timeoutMs: TIMEOUT_MS,
      fetch: async (input, init) => {
        calls += 1;
        if (String(input).includes("fetchInstances")) return new Response("<html>bad gateway</html>", { status: 502 });
        return fetch(input, init);
      },
    });
    const report = await flaky.getState(target("st-lookup-fails"));
    expect(calls).toBe(2);
    expect(report).toMatchObject({ state: "close", reasonLookupError: "provider_down" });
    expect(report.reasonCode).toBeUndefined();
  });

  it("the reason lookup shares getState's deadline: a slow gateway costs one timeout, not two", async () => {
    sim.addInstance({ name: "st-slow-closed", scenario: "logged_out", latencyMs: 150 });
    const fast = createEvolutionProvider({ timeoutMs: 250 });
    const started = performance.now();
    const report = await fast.getState(target("st-slow-closed"));
    expect(performance.now() - started).toBeLessThan(400);
    expect(report).toMatchObject({ state: "close", reasonLookupError: "provider_down" });
  });

  it("tolerates a trailing slash on the base URL and encodes instance names", async () => {
    const name = "casa 12/ñ?x=1#frag";
    sim.addInstance({ name, scenario: "logged_out" });
    const report = await provider.getState(target(name, { baseUrl: `${sim.url}/` }));
    expect(report).toMatchObject({ state: "close", reasonCode: 401 });
  });
});

describe("restart", () => {
  it("is a POST (never the v1 PUT) and answers open for a healthy instance", async () => {
    sim.addInstance({ name: "rs-healthy" });
    await expect(provider.restart(target("rs-healthy"))).resolves.toEqual({ kind: "open" });
    const calls = sim.stats("rs-healthy").calls;
    expect(calls["POST /instance/restart"]).toBe(1);
    expect(calls["PUT /instance/restart"]).toBeUndefined();
  });

  it("HTTP 200 with {error:true} on a closed instance is a rejected ProviderError", async () => {
    sim.addInstance({ name: "rs-closed", scenario: "drops_and_recovers" });
    const error = await providerError(provider.restart(target("rs-closed")));
    expect(error).toMatchObject({ kind: "rejected", detail: { status: 200, operation: "restart" } });
    expect(error.detail.snippet).toContain('"error":true');
    expect(sim.stats("rs-closed").calls["POST /instance/restart"]).toBe(1);
    expect(sim.stats("rs-closed").state).toBe("close");
  });

  it("logged_out: restart is rejected too", async () => {
    sim.addInstance({ name: "rs-logged-out", scenario: "logged_out" });
    expect((await providerError(provider.restart(target("rs-logged-out")))).kind).toBe("rejected");
  });
});

describe("connect", () => {
  it("open instance → open", async () => {
    sim.addInstance({ name: "cn-open" });
    await expect(provider.connect(target("cn-open"))).resolves.toEqual({ kind: "open" });
  });

  it("dropped instance → pending {count:0}, and the instance is open afterwards", async () => {
    sim.addInstance({ name: "cn-dropped", scenario: "drops_and_recovers", recoverAfterMs: 60_000 });
    await expect(provider.connect(target("cn-dropped"))).resolves.toEqual({ kind: "pending", count: 0 });
    expect((await provider.getState(target("cn-dropped"))).state).toBe("open");
  });

  it("replaced instance → pending, and it is replaced again (440) right after", async () => {
    sim.addInstance({ name: "cn-replaced", scenario: "replaced" });
    await expect(provider.connect(target("cn-replaced"))).resolves.toMatchObject({ kind: "pending" });
    expect(await provider.getState(target("cn-replaced"))).toMatchObject({ state: "close", reasonCode: 440 });
  });

  it("logged_out → a QR; pairing brings the instance to open", async () => {
    sim.addInstance({ name: "cn-qr", scenario: "logged_out" });
    const result = await provider.connect(target("cn-qr"));
    expect(result.kind).toBe("qr");
    if (result.kind !== "qr") return;
    expect(result.code).toMatch(/^2@/);
    expect(result.base64).toMatch(/^data:image\/png;base64,/);
    expect(result.pairingCode).toBeNull();
    expect(result.count).toBe(1);
    expect((await provider.getState(target("cn-qr"))).state).toBe("connecting");

    sim.pair("cn-qr");
    expect((await provider.getState(target("cn-qr"))).state).toBe("open");
  });

  it("malformed_json → invalid_response", async () => {
    sim.addInstance({ name: "cn-garbage", scenario: "malformed_json" });
    expect((await providerError(provider.connect(target("cn-garbage")))).kind).toBe("invalid_response");
  });
});

describe("webhooks", () => {
  const config = {
    enabled: true,
    url: "https://sentinela.example.test/api/webhooks/evolution/ch_1",
    events: ["CONNECTION_UPDATE", "QRCODE_UPDATED", "GROUP_UPDATE"],
    headers: { authorization: "Bearer channel-secret" },
    byEvents: false,
    base64: true,
  };

  it("getWebhook is null before any is set", async () => {
    sim.addInstance({ name: "wh-none" });
    await expect(provider.getWebhook(target("wh-none"))).resolves.toBeNull();
  });

  it("setWebhook sends the v2 body and getWebhook reads the same config back", async () => {
    sim.addInstance({ name: "wh-set" });
    await expect(provider.setWebhook(target("wh-set"), config)).resolves.toEqual(config);
    const stored = sim.stats("wh-set").webhook;
    expect(stored).toMatchObject({
      url: config.url,
      enabled: true,
      events: config.events,
      headers: config.headers,
      webhookByEvents: false,
      webhookBase64: true,
    });
    await expect(provider.getWebhook(target("wh-set"))).resolves.toEqual(config);
  });

  it("rejects event names the gateway does not know, without calling it", async () => {
    sim.addInstance({ name: "wh-bad-events" });
    const error = await providerError(
      provider.setWebhook(target("wh-bad-events"), { ...config, events: ["CONNECTION_UPDATE", "GROUPS_UPDATE"] }),
    );
    expect(error.kind).toBe("rejected");
    expect(error.message).toContain("GROUPS_UPDATE");
    expect(sim.stats("wh-bad-events").calls["POST /webhook/set"]).toBeUndefined();
  });

  it("the exported event list is exactly what the gateway accepts", async () => {
    sim.addInstance({ name: "wh-all-events" });
    const all = { ...config, events: [...EVOLUTION_WEBHOOK_EVENTS] };
    await expect(provider.setWebhook(target("wh-all-events"), all)).resolves.toMatchObject({ events: all.events });
  });
});
