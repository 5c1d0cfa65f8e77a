import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEvolutionSimulator, type EvolutionSimulator } from "@/dev/evolution-simulator/server";
import { createEvolutionProvider } from "@/lib/providers/evolution";
import { ProviderError, type ChannelTarget, type Provider } from "@/lib/providers/types";

const KEY = "send-text-key";
let sim: EvolutionSimulator;
let provider: Provider;

beforeAll(async () => {
  sim = await startEvolutionSimulator({ globalApiKey: KEY, seed: 3, connectLatencyMs: 20 });
  provider = createEvolutionProvider({ timeoutMs: 2000 });
});

afterAll(async () => {
  await sim.stop();
});

const target = (instanceName: string, apiKey = KEY): ChannelTarget => ({ baseUrl: sim.url, instanceName, apiKey });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("sendText (Evolution POST /message/sendText/{instance})", () => {
  it("an open instance sends: the gateway's message id comes back and the simulator records the message", async () => {
    const added = sim.addInstance({ name: "sender-open" });
    const sent = await provider.sendText!(target("sender-open", added.token), { number: "5511987654321", text: "Linha X precisa de QR" });
    expect(sent.messageId).toMatch(/^3EB0[0-9A-F]{16}$/);
    expect(sent.status).toBe("PENDING");
    const control = (await (await fetch(`${sim.url}/__control/instances/sender-open`)).json()) as { sent: { id: string; number: string; remoteJid: string; text: string }[] };
    expect(control.sent).toEqual([
      expect.objectContaining({ id: sent.messageId, number: "5511987654321", remoteJid: "5511987654321@s.whatsapp.net", text: "Linha X precisa de QR" }),
    ]);
  });

  it("the real answer's shape: 201, key.fromMe true, status PENDING, the text as conversation", async () => {
    sim.addInstance({ name: "sender-shape" });
    const response = await fetch(`${sim.url}/message/sendText/sender-shape`, {
      method: "POST",
      headers: { apikey: KEY, "content-type": "application/json" },
      body: JSON.stringify({ number: "5511912345678", text: "oi" }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      key: { remoteJid: "5511912345678@s.whatsapp.net", fromMe: true },
      status: "PENDING",
      message: { conversation: "oi" },
      messageType: "conversation",
    });
    expect(typeof body.messageTimestamp).toBe("number");
  });

  it("a closed instance refuses (400 Connection Closed) and records nothing", async () => {
    sim.addInstance({ name: "sender-closed", scenario: "logged_out" });
    const error = await failure(provider.sendText!(target("sender-closed"), { number: "5511987654321", text: "x" }));
    expect(error.kind).toBe("rejected");
    expect(error.message).toContain("Connection Closed");
    expect(sim.stats("sender-closed").sent).toEqual([]);
  });

  it("a number not on WhatsApp is refused; a gateway that is down is provider_down", async () => {
    sim.addInstance({ name: "sender-bad-number" });
    expect((await failure(provider.sendText!(target("sender-bad-number"), { number: "123", text: "x" }))).kind).toBe("rejected");
    sim.addInstance({ name: "sender-down", scenario: "gateway_down" });
    expect((await failure(provider.sendText!(target("sender-down"), { number: "5511987654321", text: "x" }))).kind).toBe("provider_down");
  });
});
