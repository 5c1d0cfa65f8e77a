import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import ptBR from "@/messages/pt-BR.json";
import { ACTION_SUMMARY_KEYS, describeAction } from "@/lib/format/action-summary";
import { describeCheck } from "@/lib/format/check-summary";
import { gatewayCause } from "@/lib/format/gateway-cause";
import { parseAllowList } from "@/lib/net/allow-list";
import type { OutboundPolicy } from "@/lib/net/outbound-guard";
import { reconnectChannel } from "@/lib/monitor/reconnect-channel";
import { createEvolutionProvider } from "@/lib/providers/evolution";
import type { ChannelTarget } from "@/lib/providers/types";

/** The texts come from the real adapter and reconnect, answering through an injected fetch (no network). */
const TARGET: ChannelTarget = { baseUrl: "https://evo.example.test", instanceName: "casa", apiKey: "key" };
const OUTBOUND: OutboundPolicy = { resolver: async () => [{ address: "93.184.215.14", family: 4 }], allowed: parseAllowList("") };
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
const QR = { code: "2@abc", base64: "data:image/png;base64,AAAA", count: 1 };

type Answer = Response | Error;
async function reconnectDetail(restart: () => Answer, connect: () => Answer = restart) {
  const provider = createEvolutionProvider({
    outbound: OUTBOUND,
    timeoutMs: 500,
    fetch: async (input) => {
      const answer = String(input).includes("/instance/restart/") ? restart() : connect();
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  const [call] = await reconnectChannel(provider, TARGET);
  return call;
}

const refused = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });

describe("gatewayCause reads what reconnect-channel recorded", () => {
  it.each([
    ["session open", () => json({ instance: { instanceName: "casa", state: "open" } }), undefined, "open"],
    ["connecting", () => json({ instance: { instanceName: "casa", state: "connecting" } }), undefined, "connecting"],
    ["a QR code", () => json(QR), undefined, "needsQr"],
    ["HTTP 503", () => json({ message: "down" }, 503), undefined, "gatewayDown"],
    ["a refused connection", refused, undefined, "gatewayDown"],
    ["HTTP 401", () => json({ message: "Unauthorized" }, 401), undefined, "keyRejected"],
    ["HTTP 404", () => json({ message: "not found" }, 404), undefined, "instanceNotFound"],
    ["a body that is not JSON", () => new Response("<html>", { status: 200 }), undefined, "unreadable"],
    // Evolution 2.3.6 refuses restarting a closed instance with HTTP 200 {"error":true}: then connect.
    ["restart refused, connect gives a QR", () => json({ error: true, message: "[object Object]" }), () => json(QR), "needsQr"],
    ["restart refused, connect refused too", () => json({ error: true, message: "[object Object]" }), () => json({ error: true, message: "[object Object]" }), "refused"],
    ["restart refused, connect times out", () => json({ error: true, message: "[object Object]" }), () => Object.assign(new Error("t"), { name: "TimeoutError" }), "gatewayDown"],
  ] as const)("%s", async (_, restart, connect, cause) => {
    const call = await reconnectDetail(restart, connect);
    expect({ detail: call.detail, cause: gatewayCause(call.detail) }).toEqual({ detail: call.detail, cause });
  });

  it("reads the QR request's and an interrupted action's words (lib/channels/qr-pairing.ts, manual-action.ts)", () => {
    expect(gatewayCause("gateway issued QR code #2")).toBe("qrIssued");
    expect(gatewayCause("gateway reports the session open: nothing to pair")).toBe("open");
    expect(gatewayCause("gateway is connecting; no QR code yet")).toBe("connecting");
    expect(gatewayCause("ProviderError: connect: gateway answered HTTP 503")).toBe("gatewayDown");
    expect(gatewayCause("interrupted before the gateway answered")).toBe("interrupted");
    expect(gatewayCause(null)).toBe("other");
    expect(gatewayCause("something nobody wrote down")).toBe("other");
  });
});

describe("describeAction", () => {
  it("says what happened in words, whatever the stored detail", () => {
    expect(describeAction({ kind: "reconnect", outcome: "failed", detail: "restart failed: provider_down: restart: gateway answered HTTP 503" })).toBe("gatewayDown");
    expect(describeAction({ kind: "reconnect", outcome: "ok", detail: "restart: gateway reports the session open" })).toBe("open");
    expect(describeAction({ kind: "webhook_restore", outcome: "ok", detail: "restored: webhook missing" })).toBe("webhookRestored");
    expect(describeAction({ kind: "webhook_restore", outcome: "ok", detail: "platform webhook preserved and forwarded: https://x.test/hook (all)" })).toBe("webhookAdopted");
    expect(describeAction({ kind: "webhook_restore", outcome: "failed", detail: "webhook missing; restore failed: provider_down: setWebhook: gateway timed out" })).toBe("webhookGatewayDown");
    expect(describeAction({ kind: "webhook_restore", outcome: "failed", detail: "webhook disabled; gateway kept: webhook disabled" })).toBe("webhookNotRestored");
    expect(describeAction({ kind: "webhook_restore", outcome: "skipped", detail: "platform webhook to x left untouched" })).toBe("webhookLeft");
    expect(describeAction({ kind: "webhook_restore", outcome: "ok", detail: "app subscription restored: no app was subscribed" })).toBe("appSubscribed");
    expect(describeAction({ kind: "webhook_restore", outcome: "failed", detail: "app subscription missing: …; subscribing failed: rejected: (code 200)" })).toBe("appNotSubscribed");
    expect(describeAction({ kind: "webhook_restore", outcome: "failed", detail: "app subscription missing: …; subscribing failed: provider_down: gateway answered HTTP 503" })).toBe("webhookGatewayDown");
    expect(describeAction({ kind: "qr_request", outcome: "ok", detail: "gateway issued QR code #1" })).toBe("qrIssued");
    expect(describeAction({ kind: "qr_request", outcome: "ok", detail: "gateway is connecting; no QR code yet" })).toBe("qrPreparing");
    expect(describeAction({ kind: "qr_request", outcome: "ok", detail: "gateway reports the session open: nothing to pair" })).toBe("qrNotNeeded");
    expect(describeAction({ kind: "reconnect", outcome: "failed", detail: "Error: boom" })).toBe("failed");
    expect(describeAction({ kind: "pause", outcome: "ok", detail: null })).toBeNull();
  });

  it("finds every sentence in both languages", () => {
    for (const [name, messages] of [["pt-BR", ptBR], ["en", en]] as const) {
      const summaries = (messages.channel as { actionSummary?: Record<string, string> }).actionSummary ?? {};
      for (const key of ACTION_SUMMARY_KEYS) expect({ name, key, text: typeof summaries[key] }).toEqual({ name, key, text: "string" });
    }
  });
});

describe("describeCheck", () => {
  const check = { state: "connected" as const, gatewayState: null, reasonCode: null, errorCode: null, detail: null };

  it("says what the gateway answered, or why it did not, never its literal words", () => {
    expect(describeCheck({ ...check, gatewayState: "open", detail: "open" })).toEqual({ key: "channel.checkSummary.open" });
    expect(describeCheck({ ...check, state: "needs_qr", gatewayState: "close", reasonCode: 401, detail: "logged out (device unlinked)" }))
      .toEqual({ key: "reasons.loggedOut" });
    expect(describeCheck({ ...check, state: "needs_qr", gatewayState: "connecting", detail: "waiting for a QR scan (gateway is showing a QR code)" }))
      .toEqual({ key: "reasons.awaitingScan" });
    expect(describeCheck({ ...check, state: "disconnected", gatewayState: "close", reasonCode: 499, detail: "something new; connected, silent since x" }))
      .toEqual({ key: "reasons.closedCode", values: { code: 499 } });
    expect(describeCheck({ ...check, state: "provider_down", errorCode: "provider_down", detail: "getState: gateway unreachable: ECONNREFUSED" }))
      .toEqual({ key: "reasons.gatewayUnreachable" });
    expect(describeCheck({ ...check, state: "misconfigured", errorCode: "misconfigured", detail: "getState: gateway answered HTTP 404: not found" }))
      .toEqual({ key: "reasons.instanceNotFound" });
    expect(describeCheck({ ...check, state: "provider_down", errorCode: "rejected", detail: "getState: gateway answered HTTP 200 with an error: [object Object]" }))
      .toEqual({ key: "reasons.gatewayRefused" });
    expect(describeCheck({ ...check, state: "misconfigured", errorCode: "secret", detail: "no API key for this gateway: enter it again" }))
      .toEqual({ key: "reasons.apiKeyMissing" });
    expect(describeCheck({ ...check, errorCode: "monitor", detail: "monitor error: boom" })).toEqual({ key: "channel.checkSummary.monitorError" });
  });
});
