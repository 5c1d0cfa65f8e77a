import { describe, expect, it } from "vitest";
import { describeDrift, isWebhookCheckDue, restoredConfig, webhookReceiverUrl, type ExpectedWebhook } from "@/lib/monitor/webhook-drift";
import type { WebhookConfig } from "@/lib/providers/types";

const expected: ExpectedWebhook = {
  url: "https://sentinela.example/api/webhooks/evolution/c1",
  secret: "s3cret",
  events: ["CONNECTION_UPDATE", "MESSAGES_UPSERT"],
  enabled: true,
};
const matching: WebhookConfig = {
  enabled: true, url: expected.url, events: ["MESSAGES_UPSERT", "CONNECTION_UPDATE"],
  headers: { "X-Sentinela-Webhook-Secret": "s3cret", authorization: "Bearer platform" }, byEvents: false, base64: true,
};

describe("describeDrift", () => {
  it("finds nothing when the gateway keeps what it should (event order and header case aside)", () => {
    expect(describeDrift(expected, matching)).toEqual([]);
  });

  it("names every kind of drift, without the secret", () => {
    expect(describeDrift(expected, null)).toEqual(["webhook missing"]);
    const drifted = describeDrift(expected, {
      ...matching, enabled: false, url: "https://old.example/hook?token=abc", events: ["CONNECTION_UPDATE", "CALL"],
      headers: { "x-sentinela-webhook-secret": "other" }, byEvents: true,
    });
    expect(drifted).toEqual([
      "webhook disabled",
      "URL changed (gateway had https://old.example/hook)",
      "events missing: MESSAGES_UPSERT",
      "unexpected events: CALL",
      "secret header wrong",
      "per-event URLs switched on",
    ]);
    expect(describeDrift(expected, { ...matching, headers: {} })).toEqual(["secret header missing"]);
  });

  it("only asks a webhook configured off to be off", () => {
    const off = { ...expected, enabled: false };
    expect(describeDrift(off, { ...matching, enabled: false, url: "elsewhere", events: [] })).toEqual([]);
    expect(describeDrift(off, matching)).toEqual(["webhook enabled, should be off"]);
  });
});

describe("restoredConfig", () => {
  it("puts ours back and keeps the gateway's other headers and base64 choice", () => {
    expect(restoredConfig(expected, { ...matching, headers: { "X-Sentinela-Webhook-Secret": "old", authorization: "Bearer platform" } }))
      .toEqual({
        enabled: true, url: expected.url, events: expected.events, byEvents: false, base64: true,
        headers: { authorization: "Bearer platform", "x-sentinela-webhook-secret": "s3cret" },
      });
  });
});

describe("webhook helpers", () => {
  it("builds the receiver URL whatever the base's trailing slashes", () => {
    expect(webhookReceiverUrl("https://s.example//", "evolution", "c1")).toBe("https://s.example/api/webhooks/evolution/c1");
  });

  it("is due when never checked, then once per quarter hour of the clock (with the raw-check samples)", () => {
    const now = new Date("2026-03-01T12:14:59Z");
    expect(isWebhookCheckDue(null, now)).toBe(true);
    expect(isWebhookCheckDue(new Date("2026-03-01T12:00:00Z"), now)).toBe(false);
    expect(isWebhookCheckDue(new Date("2026-03-01T11:59:59Z"), now)).toBe(true);
    expect(isWebhookCheckDue(new Date("2026-03-01T12:00:00Z"), new Date("2026-03-01T12:15:00Z"))).toBe(true);
  });
});
