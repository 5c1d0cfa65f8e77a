import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEvolutionWebhookEvent } from "@/lib/providers/evolution-webhook";
import { ProviderError, type WebhookEvent } from "@/lib/providers/types";

/**
 * Issue 9, point 8: whatever a gateway (or anyone holding a channel's secret) sends, the parser answers
 * with an event or with its one documented error (ProviderError "invalid_response", which the receiver
 * turns into a 400), never with anything else; events it does not read are ignored, whatever they hold.
 */

const KNOWN = ["connection.update", "qrcode.updated", "status.instance", "logout.instance"];
const isKnown = (name: string) => KNOWN.includes(name.trim().toLowerCase().replace(/[_-]/g, "."));
const KINDS: WebhookEvent["kind"][] = ["connection", "qrcode", "status", "logout", "ignored"];

/** Text with the characters that break naive code: NUL, bidi overrides, lone surrogates, huge numbers. */
const nastyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom("\u0000", "\u202e", "\ud800", "\udc00", "\ufeff", "\n", " ", "_", "-", ".", "Z", "+", ":", "0", "9"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

const eventName = fc.oneof(
  { arbitrary: fc.constantFrom(...KNOWN, "CONNECTION_UPDATE", "Qrcode-Updated", " status.instance ", "messages.upsert", "MESSAGES_UPSERT", "", " "), weight: 4 },
  { arbitrary: nastyText, weight: 1 },
);

const dateTime = fc.oneof(
  { arbitrary: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()), weight: 4 },
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("2026-03-01T12:00:00", "2026-03-01T12:00:00.123456789-03:00", "2026-13-45T99:99:99Z", "yesterday", ""),
  nastyText,
);

const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nastyText, fc.constant(undefined));

/** Mostly `right`, sometimes anything: so deliveries get past the envelope and into each event's data. */
const mostly = <T,>(right: fc.Arbitrary<T>) => fc.oneof({ arbitrary: right, weight: 4 }, { arbitrary: anyValue, weight: 1 });

const eventData = mostly(
  fc.record(
    {
      state: mostly(fc.constantFrom("open", "close", "connecting", "refused", "OPEN")),
      statusReason: mostly(fc.oneof(fc.integer(), fc.constantFrom("428", "401", "4e2", "-1", ""), fc.double())),
      status: mostly(fc.constantFrom("open", "closed", "removed")),
      disconnectionReasonCode: mostly(fc.integer()),
      qrcode: mostly(fc.record({ code: anyValue, base64: anyValue, pairingCode: anyValue }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
);

/** Deliveries shaped like the gateway's, each field sometimes right, sometimes anything. */
const delivery = fc.record(
  {
    event: mostly(eventName),
    instance: mostly(fc.oneof(fc.constant("recepcao"), nastyText)),
    date_time: mostly(dateTime),
    data: eventData,
    apikey: anyValue,
  },
  { requiredKeys: ["event"] },
);

/** A well-formed envelope of an event the parser reads, with its data fuzzed. */
const readEvent = fc.record({
  event: fc.constantFrom(...KNOWN, "CONNECTION_UPDATE", "connection-update", " Status_Instance "),
  instance: fc.oneof(fc.constant("recepcao"), nastyText.filter((name) => name.length > 0)),
  date_time: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  data: eventData,
});

/** Parses, and checks the one thing allowed to go wrong is the documented error. */
function parseOrDocumentedError(body: unknown): WebhookEvent | ProviderError {
  try {
    return parseEvolutionWebhookEvent(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe("invalid_response");
    expect((error as ProviderError).message.length).toBeLessThanOrEqual(500);
    return error as ProviderError;
  }
}

describe("parseEvolutionWebhookEvent, fuzzed", () => {
  it("answers any JSON value or JS value with an event or the documented error", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true }), fc.jsonValue(), delivery), (body) => {
        const result = parseOrDocumentedError(body);
        if (!(result instanceof ProviderError)) expect(KINDS).toContain(result.kind);
      }),
      { numRuns: 1000 },
    );
  });

  it("ignores every event it does not read, whatever else the delivery holds", () => {
    fc.assert(
      fc.property(eventName.filter((name) => name.trim() !== "" && !isKnown(name)), delivery, (event, rest) => {
        expect(parseEvolutionWebhookEvent({ ...rest, event })).toEqual({ kind: "ignored", event });
      }),
      { numRuns: 500 },
    );
  });

  it("gives every event it reads the gateway's instance, a real time and a stable 64-hex dedupe key", () => {
    fc.assert(
      fc.property(fc.oneof(readEvent, delivery), (body) => {
        const result = parseOrDocumentedError(body);
        if (result instanceof ProviderError || result.kind === "ignored") return;
        expect(result.instance).toBe((body as { instance: unknown }).instance);
        expect(Number.isNaN(result.occurredAt.getTime())).toBe(false);
        expect(result.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
        // A redelivery of the same body is the same event.
        expect((parseEvolutionWebhookEvent(structuredClone(body)) as { dedupeKey: string }).dedupeKey).toBe(result.dedupeKey);
        if (result.kind === "connection" && result.reasonCode !== undefined) {
          expect(Number.isInteger(result.reasonCode)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("reads well-formed state events whatever the event name's spelling", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("connection.update", "CONNECTION_UPDATE", "connection-update", " Connection.Update "),
        fc.constantFrom("open", "close", "connecting", "refused"),
        fc.option(fc.integer({ min: 0, max: 999 })),
        fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        (event, state, statusReason, at) => {
          const parsed = parseEvolutionWebhookEvent({
            event, instance: "recepcao", date_time: at.toISOString(), data: { state, statusReason },
          });
          expect(parsed).toMatchObject({ kind: "connection", instance: "recepcao", state, occurredAt: at });
        },
      ),
    );
  });
});
