import fc from "fast-check";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { encryptSecret, generateSecretKey } from "@/lib/crypto/secret-box";
import type { WebhookChannel } from "@/lib/db/webhook-events";
import { WEBHOOK_SECRET_HEADER } from "@/lib/monitor/webhook-drift";
import { createProviders } from "@/lib/providers/registry";
import { handleWebhookRequest, MAX_WEBHOOK_BODY_BYTES, type WebhookRequestDeps } from "@/lib/webhooks/webhook-request";

/**
 * Issue 9, point 8: the receiver's HTTP side (size limit, reading the bytes, UTF-8, JSON, the parser,
 * the instance check) answers anything a sender can put in a body with 200, or with its documented
 * 400 (`invalid_body`, `body_too_large`) or 401: never a 500, which the gateway would retry forever.
 * The database side is stubbed: it has its own integration tests, and here every body must reach it.
 */

const CHANNEL_ID = "8a0f7c52-4a1e-4c8e-9a51-3f4f1d2b6c70";
const SECRET = "fuzz-webhook-secret-0123456789";
const secretKey = generateSecretKey();

const db = vi.hoisted(() => ({ applied: 0, recorded: 0 }));

vi.mock("@/lib/db/webhook-events", () => ({
  findWebhookChannel: async () => channel(),
  recordEventReceived: async () => {
    db.recorded++;
  },
  applyStateEvent: async () => {
    db.applied++;
    return true;
  },
}));

function channel(): WebhookChannel {
  return {
    channelId: CHANNEL_ID, tenantId: "3d5e1c2a-0b7f-4a5d-8c9e-1f2a3b4c5d6e", timezone: "America/Sao_Paulo",
    provider: "evolution", instanceName: "recepcao", monitoringEnabled: true, checkIntervalSeconds: 30,
    silenceThresholdSeconds: null, downstreamUrl: null, downstreamEvents: [], webhookMode: "adopt", secretCiphertext: encryptSecret(SECRET, secretKey),
    status: {
      state: "connected", since: new Date("2026-03-01T11:00:00Z"), accountedUntil: new Date("2026-03-01T11:59:30Z"),
      lastEventOccurredAt: null, lastEventKey: null, lastEventAt: null,
    },
  };
}

const deps: WebhookRequestDeps = {
  db: {} as WebhookRequestDeps["db"],
  secretKey,
  providers: createProviders({ timeoutMs: 1000 }),
  clock: () => new Date("2026-03-01T12:00:00Z"),
  defer: () => {},
};

async function post(body: Uint8Array | string, headers: Record<string, string> = {}) {
  const request = new Request(`http://receiver.test/api/webhooks/evolution/${CHANNEL_ID}`, {
    method: "POST",
    headers: { "content-type": "application/json", [WEBHOOK_SECRET_HEADER]: SECRET, ...headers },
    body: typeof body === "string" ? body : new Blob([new Uint8Array(body)]),
  });
  const response = await handleWebhookRequest(request, { provider: "evolution", channelId: CHANNEL_ID }, async () => deps);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The only answers a body may get. */
function expectDocumentedAnswer(answer: { status: number; json: Record<string, unknown> }) {
  if (answer.status === 200) {
    expect(answer.json).toMatchObject({ ok: true });
    expect(["transition", "unchanged", "stale", "paused", "noted", "ignored"]).toContain(answer.json.outcome);
    return;
  }
  expect(answer.status).toBe(400);
  const error = answer.json.error as { code: string; message: string };
  expect(["invalid_body", "body_too_large"]).toContain(error.code);
  expect(error.message.length).toBeLessThanOrEqual(600);
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const connection = (data: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event: "connection.update", instance: "recepcao", date_time: "2026-03-01T12:00:00.000Z", data, ...extra });

/** Bytes a sender might send: raw bytes, broken UTF-8, any JSON, gateway-shaped JSON with fuzzed parts. */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.string({ unit: "binary", maxLength: 200 }).map(utf8),
  fc.jsonValue({ maxDepth: 4 }).map((value) => utf8(JSON.stringify(value))),
  fc.record({ event: fc.oneof(fc.string(), fc.jsonValue()), instance: fc.jsonValue(), data: fc.jsonValue() }, { requiredKeys: [] })
    .map((value) => utf8(JSON.stringify(value))),
  fc.record({ state: fc.oneof(fc.constantFrom("open", "close", "connecting", "refused"), fc.string()), statusReason: fc.jsonValue() }, { requiredKeys: [] })
    .map((data) => utf8(connection(data))),
  fc.tuple(fc.jsonValue(), fc.uint8Array({ minLength: 1, maxLength: 4 }))
    .map(([value, junk]) => new Uint8Array([...utf8(JSON.stringify(value)), ...junk])),
);

describe("the webhook receiver's HTTP side, fuzzed", () => {
  beforeEach(() => {
    db.applied = 0;
    db.recorded = 0;
  });

  it("answers any body with 200 or a documented 400, never a 500", async () => {
    await fc.assert(fc.asyncProperty(body, async (bytes) => expectDocumentedAnswer(await post(bytes))), { numRuns: 300 });
  });

  it("answers 401 to anyone without the secret, whatever the body, and reads nothing", async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.string({ unit: "grapheme-ascii", maxLength: 40 }), async (bytes, secret) => {
        fc.pre(secret !== SECRET);
        const answer = await post(bytes, { [WEBHOOK_SECRET_HEADER]: secret });
        expect(answer.status).toBe(401);
        expect(db.applied + db.recorded).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it("acknowledges every event name it does not read as ignored, whatever the rest holds", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }).filter((name) => name.trim() !== "" &&
          !["connection.update", "qrcode.updated", "status.instance", "logout.instance"].includes(name.trim().toLowerCase().replace(/[_-]/g, "."))),
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
        async (event, rest) => {
          const answer = await post(JSON.stringify({ ...rest, event }));
          expect(answer).toEqual({ status: 200, json: { ok: true, event, outcome: "ignored" } });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a body over the limit with 400 body_too_large, whether or not its length was declared", async () => {
    const big = new Uint8Array(MAX_WEBHOOK_BODY_BYTES + 1).fill(0x20);
    expect(await post(big)).toMatchObject({ status: 400, json: { error: { code: "body_too_large" } } });
    const declared = await post("{}", { "content-length": String(MAX_WEBHOOK_BODY_BYTES + 1) });
    expect(declared).toMatchObject({ status: 400, json: { error: { code: "body_too_large" } } });
  });
});
