import { describe, expect, it } from "vitest";
import { parseEvolutionWebhookEvent } from "@/lib/providers/evolution-webhook";
import { ProviderError } from "@/lib/providers/types";

const DATE_TIME = "2026-11-28T21:14:03.120Z";

function delivery(overrides: Record<string, unknown> = {}) {
  return {
    event: "connection.update",
    instance: "casa-12",
    data: { instance: "casa-12", state: "close", statusReason: 401 },
    destination: "https://sentinela.example.test/api/webhooks/evolution/ch_1",
    date_time: DATE_TIME,
    sender: "5511999999999@s.whatsapp.net",
    server_url: "https://evo.example.test",
    apikey: "instance-token",
    ...overrides,
  };
}

function invalid(body: unknown): ProviderError {
  try {
    parseEvolutionWebhookEvent(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe("invalid_response");
    return error as ProviderError;
  }
  throw new Error("expected parseEvolutionWebhookEvent to throw");
}

describe("parseEvolutionWebhookEvent", () => {
  it("reads a connection.update: state, reason, instance and the gateway's time", () => {
    const event = parseEvolutionWebhookEvent(delivery());
    expect(event).toMatchObject({ kind: "connection", instance: "casa-12", state: "close", reasonCode: 401 });
    if (event.kind !== "connection") return;
    expect(event.occurredAt.toISOString()).toBe(DATE_TIME);
    expect(event.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not report the 200 status of open or connecting updates as a reason", () => {
    const open = parseEvolutionWebhookEvent(delivery({ data: { instance: "casa-12", state: "open", statusReason: 200 } }));
    expect(open).toMatchObject({ kind: "connection", state: "open" });
    expect(open).not.toHaveProperty("reasonCode");
  });

  it("reads refused (QR limit) with its reason", () => {
    const event = parseEvolutionWebhookEvent(delivery({ data: { instance: "casa-12", state: "refused", statusReason: 428 } }));
    expect(event).toMatchObject({ kind: "connection", state: "refused", reasonCode: 428 });
  });

  it("gives an exact redelivery the same key, and distinct events different keys", () => {
    const first = parseEvolutionWebhookEvent(delivery());
    const again = parseEvolutionWebhookEvent(JSON.parse(JSON.stringify(delivery({ apikey: "other", sender: "x" }))));
    const later = parseEvolutionWebhookEvent(delivery({ date_time: "2026-11-28T21:14:03.121Z" }));
    const otherReason = parseEvolutionWebhookEvent(delivery({ data: { instance: "casa-12", state: "close", statusReason: 428 } }));
    const otherInstance = parseEvolutionWebhookEvent(delivery({ instance: "casa-13" }));
    const keyOf = (event: ReturnType<typeof parseEvolutionWebhookEvent>) => ("dedupeKey" in event ? event.dedupeKey : "");
    expect(keyOf(again)).toBe(keyOf(first));
    expect(new Set([first, later, otherReason, otherInstance].map(keyOf)).size).toBe(4);
  });

  it("reads qrcode.updated, including a limit-reached update that carries no QR", () => {
    const qr = parseEvolutionWebhookEvent(
      delivery({
        event: "qrcode.updated",
        data: { qrcode: { instance: "casa-12", pairingCode: null, code: "2@abc", base64: "data:image/png;base64,AAA" } },
      }),
    );
    expect(qr).toMatchObject({ kind: "qrcode", instance: "casa-12", code: "2@abc", base64: "data:image/png;base64,AAA" });
    expect(qr).not.toHaveProperty("pairingCode");

    const limit = parseEvolutionWebhookEvent(
      delivery({ event: "qrcode.updated", data: { message: "QR code limit reached, please login again", statusCode: 500 } }),
    );
    expect(limit).toMatchObject({ kind: "qrcode", instance: "casa-12" });
    expect(limit).not.toHaveProperty("code");
  });

  it("reads status.instance with its disconnection reason, and logout.instance with null data", () => {
    const status = parseEvolutionWebhookEvent(
      delivery({ event: "status.instance", data: { instance: "casa-12", status: "closed", disconnectionReasonCode: 401 } }),
    );
    expect(status).toMatchObject({ kind: "status", status: "closed", reasonCode: 401 });
    expect(parseEvolutionWebhookEvent(delivery({ event: "logout.instance", data: null }))).toMatchObject({
      kind: "logout",
      instance: "casa-12",
    });
  });

  it("accepts the upper-snake spelling of an event name", () => {
    expect(parseEvolutionWebhookEvent(delivery({ event: "CONNECTION_UPDATE" }))).toMatchObject({ kind: "connection" });
  });

  it("ignores events it does not handle, whatever their payload", () => {
    expect(parseEvolutionWebhookEvent({ event: "messages.upsert", instance: "casa-12", data: { key: {} } })).toEqual({
      kind: "ignored",
      event: "messages.upsert",
    });
  });

  it.each([
    ["null", null],
    ["a string", "connection.update"],
    ["an array", [delivery()]],
    ["no event name", delivery({ event: undefined })],
    ["no instance", delivery({ instance: undefined })],
    ["no date_time", delivery({ date_time: undefined })],
    ["a date_time that is not a date", delivery({ date_time: "yesterday" })],
    ["a date_time that is not ISO", delivery({ date_time: "Sat Nov 28 2026" })],
    ["an impossible date", delivery({ date_time: "2026-13-45T99:00:00Z" })],
    ["an unknown state", delivery({ data: { instance: "casa-12", state: "sleeping" } })],
    ["no data", delivery({ data: undefined })],
    ["a non-numeric statusReason", delivery({ data: { instance: "casa-12", state: "close", statusReason: "bad" } })],
    ["status.instance without status", delivery({ event: "status.instance", data: { instance: "casa-12" } })],
  ])("throws invalid_response on %s", (_label, body) => {
    invalid(body);
  });
});
