import { describe, expect, it } from "vitest";
import { createWhatsAppSender, type SenderChannel } from "@/lib/alerts/send-whatsapp";
import type { AlertDelivery } from "@/lib/alerts/types";
import { PROVIDER_KINDS, ProviderError, type Provider, type ProviderKind, type SentText } from "@/lib/providers/types";

/**
 * The WhatsApp sender's decisions, whatever the sender line's gateway: it sends through that kind's
 * adapter, retries only what may pass (provider_down), and records a refusal in the adapter's words
 * with the line and its gateway named.
 */

const delivery: AlertDelivery = {
  deliveryId: "42",
  recipient: { contactId: "c1", tenantId: "t1", name: "Plantão", kind: "whatsapp", language: "en", target: "+5511987654321", webhook: null },
  message: {
    event: "test", tenantName: "Pousada", timeZone: "America/Sao_Paulo", at: new Date("2026-03-07T13:00:00Z"), incident: null,
  },
};

function sender(kind: ProviderKind, send: Provider["sendText"]) {
  const calls: { kind: ProviderKind; number: string; text: string }[] = [];
  const providers = Object.fromEntries(PROVIDER_KINDS.map((k) => [k, {
    kind: k,
    webhookEventNames: [],
    getState: async () => ({ state: "open" as const, latencyMs: 1 }),
    parseWebhookEvent: () => ({ kind: "ignored" as const, event: "x" }),
    sendText: async (target: unknown, message: { number: string; text: string }): Promise<SentText> => {
      calls.push({ kind: k, ...message });
      return send!(target as never, message);
    },
  }])) as unknown as Record<ProviderKind, Provider>;
  const channel: SenderChannel = {
    channelId: "s1", name: "Portaria", state: "connected", provider: kind,
    target: { baseUrl: "http://gateway.test", instanceName: "portaria", apiKey: "k" },
  };
  return { calls, whatsapp: createWhatsAppSender({ appUrl: "https://sentinela.test", providers, senderChannel: async () => channel }) };
}

describe("WhatsApp alerts through a sender line of any gateway", () => {
  it.each(PROVIDER_KINDS)("a %s sender line sends through its own adapter, with the contact's digits", async (kind) => {
    const { calls, whatsapp } = sender(kind, async () => ({ messageId: "M1", status: null }));
    expect(await whatsapp.send(delivery)).toEqual({ ok: true, detail: expect.stringContaining("message M1") });
    expect(calls.map((call) => [call.kind, call.number])).toEqual([[kind, "5511987654321"]]);
  });

  it("an answer without a message id is still sent; the detail names the line and its gateway", async () => {
    const { whatsapp } = sender("waha", async () => ({ messageId: null, status: null }));
    expect(await whatsapp.send(delivery)).toEqual({ ok: true, detail: 'from "Portaria" (WAHA)' });
  });

  it("only provider_down is retried; a refusal keeps the adapter's words, without the operation's name", async () => {
    const cases: [ProviderError, boolean][] = [
      [new ProviderError("provider_down", "sendText: Graph is busy or unavailable (error code 130429, HTTP 400); retried later"), true],
      [new ProviderError("rejected", "sendText: outside WhatsApp's 24-hour customer-service window (Graph error 131047, Re-engagement message)"), false],
      [new ProviderError("misconfigured", "sendText: the access token has expired (code 190)"), false],
      [new ProviderError("invalid_response", "sendText: unexpected answer shape at messages"), false],
    ];
    for (const [error, retry] of cases) {
      const { whatsapp } = sender("cloud-api", async () => {
        throw error;
      });
      const outcome = await whatsapp.send(delivery);
      expect(outcome).toEqual({ ok: false, retry, error: `from "Portaria" (WhatsApp Cloud API): ${error.message.replace("sendText: ", "")}` });
    }
  });

  it("a kind whose adapter cannot send fails at once, naming the gateway", async () => {
    const withoutSend = createWhatsAppSender({
      appUrl: "https://sentinela.test",
      providers: Object.fromEntries(PROVIDER_KINDS.map((k) => [k, { kind: k }])) as unknown as Record<ProviderKind, Provider>,
      senderChannel: async () => ({ channelId: "s1", name: "Portaria", state: "connected", provider: "zapi", target: { baseUrl: "http://x", instanceName: "i", apiKey: "k" } }),
    });
    expect(await withoutSend.send(delivery)).toEqual({ ok: false, retry: false, error: "Z-API channels cannot send alerts; choose another sender" });
  });
});
