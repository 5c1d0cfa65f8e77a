import { createHash } from "node:crypto";
import { z } from "zod";
import { sessionReportOf, sessionStatusSchema } from "@/lib/providers/waha-schemas";
import { ProviderError, type WebhookEvent } from "@/lib/providers/types";

/**
 * WAHA webhook deliveries: `{"id":"evt_…","timestamp":1717000000000,"event":"session.status",
 * "session":"default","metadata":{…},"me":{…},"payload":{"name":"default","status":"WORKING"},
 * "engine":"NOWEB","environment":{…}}`. `session.status` is the state event; every other event
 * (messages, acks, …) is a sign of life and is acknowledged as ignored.
 *
 * Ordering: WAHA's own `timestamp` (milliseconds; sent since 2024.11). A delivery without one (WAHA up to
 * 2024.10) is ordered by its arrival, which is when this runs. Repeats: WAHA's event `id`, or the
 * event's content when it has none.
 */

const OPERATION = "parseWebhookEvent";

const envelopeSchema = z.object({
  id: z.string().min(1).nullish(),
  timestamp: z.number().int().positive().nullish(),
  event: z.string().min(1),
  session: z.string().min(1),
  payload: z.unknown(),
});

const statusPayloadSchema = z.object({ status: sessionStatusSchema, name: z.string().nullish() });

function malformed(message: string): ProviderError {
  return new ProviderError("invalid_response", `${OPERATION}: ${message}`, { operation: OPERATION });
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw malformed(`${what}${where}: ${issue?.message ?? "invalid"}`);
}

export function parseWahaWebhookEvent(body: unknown): WebhookEvent {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw malformed("delivery is not a JSON object");
  const rawEvent = (body as { event?: unknown }).event;
  if (typeof rawEvent !== "string" || rawEvent.trim() === "") throw malformed("delivery has no event name");
  if (rawEvent !== "session.status") return { kind: "ignored", event: rawEvent };

  const envelope = parseWith(envelopeSchema, body, "delivery envelope");
  const payload = parseWith(statusPayloadSchema, envelope.payload, "session.status payload");
  const occurredAt = envelope.timestamp ? new Date(envelope.timestamp) : new Date();
  if (Number.isNaN(occurredAt.getTime())) throw malformed("timestamp is not a time");
  const dedupeKey = createHash("sha256")
    .update(JSON.stringify(envelope.id ? ["id", envelope.id] : [envelope.event, envelope.session, payload.status, envelope.timestamp ?? null]))
    .digest("hex");
  return {
    kind: "connection",
    instance: envelope.session,
    ...sessionReportOf(payload.status),
    occurredAt,
    dedupeKey,
  };
}
