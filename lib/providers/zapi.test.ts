import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { startZapiSimulator, type ZapiSimulator } from "@/dev/zapi-simulator/server";
import { classifyFailure, classifyReport } from "@/lib/monitor/classify-state";
import { ProviderError, type ChannelTarget, type WebhookConfig } from "@/lib/providers/types";
import { createZapiProvider } from "@/lib/providers/zapi";
import { parseZapiWebhookEvent } from "@/lib/providers/zapi-webhook";
import { secretInUrl, statusReportOf, urlWithSecret } from "@/lib/providers/zapi-schemas";

/** The Z-API adapter against its simulator, beyond the shared scenarios (contract.test.ts). */

const CLIENT_TOKEN = "account-security-token";
const RECEIVER = "https://sentinela.example/api/webhooks/zapi/0b7c1c1e-8a4e-4a57-9a3e-2f7d9c1b2a11";
const SECRET_HEADER = "x-sentinela-webhook-secret";
const own = { url: RECEIVER, secretHeader: SECRET_HEADER };

let sim: ZapiSimulator;
const provider = createZapiProvider({ timeoutMs: 1000 });

beforeAll(async () => {
  sim = await startZapiSimulator({ clientToken: CLIENT_TOKEN, restartLatencyMs: 20 });
});
afterAll(async () => {
  await sim.stop();
});

function instance(id: string, spec: Parameters<ZapiSimulator["addInstance"]>[0] extends infer S ? Partial<S> : never = {}): ChannelTarget {
  const token = `${id}-token`;
  sim.addInstance({ id, token, ...spec });
  return { baseUrl: sim.url, instanceName: id, apiKey: token, clientToken: CLIENT_TOKEN };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => null, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("Z-API status in Sentinela's words", () => {
  it("a phone off the internet is still connected, said in the technical details", async () => {
    const report = await provider.getState(instance("z-offline", { scenario: "phone_offline" }));
    expect(report).toMatchObject({ state: "open", gatewayStatus: "connected; smartphone offline" });
    expect(classifyReport(report).state).toBe("connected");
  });

  it("'You need to restore the session.' is a drop a restart repairs; 'You are not connected.' needs a scan", () => {
    expect(classifyReport({ ...statusReportOf({ connected: false, error: "You need to restore the session." }), latencyMs: 1 }).state).toBe("disconnected");
    expect(classifyReport({ ...statusReportOf({ connected: false, error: "You are not connected." }), latencyMs: 1 }).state).toBe("needs_qr");
    expect(classifyReport({ ...statusReportOf({ connected: false }), latencyMs: 1 }).state).toBe("disconnected");
  });

  it("a refused Client-Token (missing or wrong) is a refused key, and says which", async () => {
    const target = instance("z-client-token");
    for (const clientToken of [undefined, "not-the-account-token"]) {
      const error = await failure(provider.getState({ ...target, clientToken }));
      expect(error.kind).toBe("misconfigured");
      expect(error.message).toContain("client token");
      expect(classifyFailure(error).state).toBe("misconfigured");
    }
  });

  it("a refusal in a 200 body is a refused key too, and the instance token never shows in an error", async () => {
    const server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"error":"null not allowed"}'));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => void server.close());
    const stubbed = createZapiProvider({ timeoutMs: 1000 });
    const port = (server.address() as AddressInfo).port;
    const target: ChannelTarget = { baseUrl: `http://127.0.0.1:${port}`, instanceName: "z", apiKey: "secret-instance-token", clientToken: "x" };
    const error = await failure(stubbed.getState(target));
    expect(error.kind).toBe("misconfigured");
    expect(`${error.message} ${error.detail.snippet}`).not.toContain("secret-instance-token");
  });
});

describe("Z-API refusals by their words", () => {
  it("400 with a refusal is misconfigured; a 405 'Method Not Allowed' stays a rejection", async () => {
    const answers = [
      { status: 400, body: '{"error":"Instance not found"}', kind: "misconfigured" },
      { status: 405, body: '{"error":"HTTP 405 Method Not Allowed"}', kind: "rejected" },
    ];
    for (const answer of answers) {
      const server = createServer((_req, res) => res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as AddressInfo).port;
      const target: ChannelTarget = { baseUrl: `http://127.0.0.1:${port}`, instanceName: "z", apiKey: "instance-token-1", clientToken: "x" };
      const error = await failure(provider.getState(target)).finally(() => server.close());
      expect([error.kind, error.detail.status]).toEqual([answer.kind, answer.status]);
    }
  });
});

describe("Z-API repairs", () => {
  it("restart restores a dropped session without a scan", async () => {
    const target = instance("z-restore", { scenario: "needs_restore" });
    expect(await provider.restart(target)).toEqual({ kind: "pending", count: 0 });
    await expect.poll(async () => (await provider.getState(target)).state, { timeout: 2000 }).toBe("open");
  });

  it("connect answers the QR image while Z-API waits for a scan, open once paired", async () => {
    const target = instance("z-qr", { scenario: "not_connected" });
    const result = await provider.connect(target);
    expect(result).toMatchObject({ kind: "qr", count: 0 });
    expect(result.kind === "qr" && result.base64?.startsWith("data:image/png;base64,")).toBe(true);
    sim.pair("z-qr");
    expect(await provider.connect(target)).toEqual({ kind: "open" });
  });
});

describe("Z-API webhooks: the secret in the URL", () => {
  const ours = (secret: string, events = ["connected", "disconnected"]): WebhookConfig => ({
    enabled: true, url: RECEIVER, events, headers: { [SECRET_HEADER]: secret }, byEvents: false, base64: false,
  });

  it("installs both URLs with the secret as the last segment, and reads them back as the secret header", async () => {
    const target = instance("z-hook");
    expect(await provider.getWebhook(target, own)).toBeNull();
    const stored = await provider.setWebhook(target, ours("s3cr3t/with+chars"), own);
    expect(stored).toEqual(ours("s3cr3t/with+chars"));
    expect(sim.stats("z-hook").webhooks.connected).toBe(`${RECEIVER}/s3cr3t%2Fwith%2Bchars`);
    expect(secretInUrl(urlWithSecret(RECEIVER, "a b"), RECEIVER)).toBe("a b");
  });

  it("a platform's URL on both events reads as foreign (to adopt); two different foreign URLs are left alone", async () => {
    const platform = "https://platform.example/zapi/hook?token=abc";
    const target = instance("z-foreign", { webhooks: { connected: platform, disconnected: platform } });
    expect(await provider.getWebhook(target, own)).toMatchObject({ url: platform, events: ["connected", "disconnected"], headers: {} });
    sim.addInstance({ id: "z-foreign", token: "z-foreign-token", webhooks: { disconnected: "https://other.example/x" } });
    expect((await failure(provider.getWebhook(target, own))).kind).toBe("rejected");
  });

  it("Sentinela's URL for this channel at an old address reads as switched off (repaired, never adopted) and without its secret", async () => {
    const old = RECEIVER.replace("https://sentinela.example", "http://old.example:3000");
    const target = instance("z-moved", { webhooks: { connected: `${old}/s3cr3t`, disconnected: `${old}/s3cr3t` } });
    const seen = await provider.getWebhook(target, own);
    expect(seen).toMatchObject({ enabled: false, url: old, events: ["connected", "disconnected"], headers: {} });
    expect(JSON.stringify(seen)).not.toContain("s3cr3t");
    await provider.setWebhook(target, ours("fresh"), own);
    expect(sim.stats("z-moved").webhooks).toEqual({ connected: `${RECEIVER}/fresh`, disconnected: `${RECEIVER}/fresh` });
  });

  it("a stale secret on one event shows as that event missing; disabling clears only our URLs", async () => {
    const target = instance("z-stale", { webhooks: { connected: `${RECEIVER}/new`, disconnected: `${RECEIVER}/old` } });
    expect(await provider.getWebhook(target, own)).toMatchObject({ events: ["connected"], headers: { [SECRET_HEADER]: "new" } });
    await provider.setWebhook(target, { ...ours("new"), enabled: false }, own);
    expect(sim.stats("z-stale").webhooks).toEqual({ connected: "", disconnected: "" });
  });

  it("deliveries carry no header of ours: the simulator posts the documented bodies", async () => {
    expect(parseZapiWebhookEvent({ type: "ConnectedCallback", connected: true, momment: 1580163342, instanceId: "i1", phone: "5544" }))
      .toMatchObject({ kind: "connection", instance: "i1", state: "open", occurredAt: new Date(1580163342_000) });
    expect(parseZapiWebhookEvent({ momment: 1580163342123, error: "Device has been disconnected", disconnected: true, type: "DisconnectedCallback", instanceId: "i1" }))
      .toMatchObject({ kind: "connection", state: "close", gatewayStatus: "disconnected: Device has been disconnected" });
    expect(parseZapiWebhookEvent({ type: "ReceivedCallback", instanceId: "i1" })).toEqual({ kind: "ignored", event: "ReceivedCallback" });
    expect(() => parseZapiWebhookEvent({ type: "ConnectedCallback" })).toThrow(ProviderError);
    expect(() => parseZapiWebhookEvent([])).toThrow(ProviderError);
  });
});
