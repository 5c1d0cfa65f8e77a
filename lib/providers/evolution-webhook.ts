import { createHash } from "node:crypto";
import { z } from "zod";
import { gatewayStateSchema } from "@/lib/providers/evolution-schemas";
import { ProviderError, type WebhookEvent } from "@/lib/providers/types";

/**
 * Evolution API v2 webhook deliveries:
 * `{"event":"connection.update","instance":"x","data":{…},"date_time":"…","sender":…,"apikey":…}`.
 * Deliveries repeat and arrive out of order, so every event carries the gateway's own time and a key
 * that is equal for exact redeliveries and different for distinct events.
 */

const OPERATION = "parseWebhookEvent";

const envelopeSchema = z.object({
  event: z.string().min(1),
  instance: z.string().min(1),
  data: z.unknown(),
  date_time: z.string(),
});

const statusReasonSchema = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

const connectionDataSchema = z.object({
  state: gatewayStateSchema,
  statusReason: statusReasonSchema.nullish(),
});

const qrcodeDataSchema = z.object({
  // Absent when the QR limit was reached: the gateway then sends `{message, statusCode}` instead.
  qrcode: z
    .object({
      code: z.string().nullish(),
      base64: z.string().nullish(),
      pairingCode: z.string().nullish(),
    })
    .nullish(),
});

const statusDataSchema = z.object({
  status: z.string().min(1),
  disconnectionReasonCode: statusReasonSchema.nullish(),
});

// Gateway clocks print ISO 8601 (Evolution shifts it by its local offset but keeps the shape).
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

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

function occurredAtOf(dateTime: string): Date {
  const date = new Date(dateTime);
  if (!ISO_DATE_TIME.test(dateTime.trim()) || Number.isNaN(date.getTime())) {
    throw malformed(`date_time is not an ISO timestamp: ${dateTime.slice(0, 40)}`);
  }
  return date;
}

/** `CONNECTION_UPDATE`, `connection-update` and `connection.update` all name the same event. */
function normaliseEventName(event: string): string {
  return event.trim().toLowerCase().replace(/[_-]/g, ".");
}

function dedupeKeyOf(parts: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** Keeps only the fields that carry a value: the gateway sends null where it has nothing. */
function present<K extends string>(fields: Record<K, string | null | undefined>): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [name, value] of Object.entries(fields) as [K, string | null | undefined][]) {
    if (typeof value === "string" && value !== "") out[name] = value;
  }
  return out;
}

export function parseEvolutionWebhookEvent(body: unknown): WebhookEvent {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw malformed("delivery is not a JSON object");
  }
  const rawEvent = (body as { event?: unknown }).event;
  if (typeof rawEvent !== "string" || rawEvent.trim() === "") throw malformed("delivery has no event name");

  const event = normaliseEventName(rawEvent);
  if (!["connection.update", "qrcode.updated", "status.instance", "logout.instance"].includes(event)) {
    return { kind: "ignored", event: rawEvent };
  }

  const envelope = parseWith(envelopeSchema, body, "delivery envelope");
  const occurredAt = occurredAtOf(envelope.date_time);
  const base = { instance: envelope.instance, occurredAt };
  const key = (...discriminators: unknown[]) =>
    dedupeKeyOf([event, envelope.instance, envelope.date_time, ...discriminators]);

  switch (event) {
    case "connection.update": {
      const data = parseWith(connectionDataSchema, envelope.data, "connection.update data");
      const reason = data.statusReason ?? undefined;
      const closed = data.state === "close" || data.state === "refused";
      return {
        kind: "connection",
        ...base,
        state: data.state,
        ...(closed && reason !== undefined ? { reasonCode: reason } : {}),
        dedupeKey: key(data.state, reason ?? null),
      };
    }
    case "qrcode.updated": {
      const data = parseWith(qrcodeDataSchema, envelope.data, "qrcode.updated data");
      const qr = data.qrcode ?? {};
      return {
        kind: "qrcode",
        ...base,
        ...present({ code: qr.code, base64: qr.base64, pairingCode: qr.pairingCode }),
        dedupeKey: key(qr.code ?? null),
      };
    }
    case "status.instance": {
      const data = parseWith(statusDataSchema, envelope.data, "status.instance data");
      const reason = data.disconnectionReasonCode ?? undefined;
      return {
        kind: "status",
        ...base,
        status: data.status,
        ...(reason !== undefined ? { reasonCode: reason } : {}),
        dedupeKey: key(data.status, reason ?? null),
      };
    }
    default:
      return { kind: "logout", ...base, dedupeKey: key() };
  }
}
