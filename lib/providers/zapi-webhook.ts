import { createHash } from "node:crypto";
import { z } from "zod";
import { ProviderError, type WebhookEvent } from "@/lib/providers/types";

/**
 * Z-API webhook deliveries (developer.z-api.io, read 2026-11-30): on connected
 * `{"type":"ConnectedCallback","connected":true,"momment":…,"instanceId":"…","phone":"…"}`, on
 * disconnected `{"momment":…,"error":"Device has been disconnected","disconnected":true,
 * "type":"DisconnectedCallback","instanceId":"…"}`. Any other `type` (messages, delivery, status,
 * presence) is a sign of life, acknowledged as ignored.
 *
 * Ordering: Z-API's `momment` (its examples show seconds and milliseconds: below 10^12 it is read as
 * seconds); none, and the arrival orders it. Repeats: the type, instance and moment.
 */

const OPERATION = "parseWebhookEvent";

const deliverySchema = z.object({
  type: z.enum(["ConnectedCallback", "DisconnectedCallback"]),
  instanceId: z.string().min(1),
  momment: z.union([z.number(), z.string().regex(/^\d+$/)]).nullish(),
  error: z.string().nullish(),
});

function malformed(message: string): ProviderError {
  return new ProviderError("invalid_response", `${OPERATION}: ${message}`, { operation: OPERATION });
}

function momentOf(value: number | string | null | undefined): Date {
  if (value === null || value === undefined) return new Date();
  const number = Number(value);
  const date = new Date(number < 1e12 ? number * 1000 : number);
  if (!Number.isFinite(number) || number <= 0 || Number.isNaN(date.getTime())) throw malformed("momment is not a time");
  return date;
}

export function parseZapiWebhookEvent(body: unknown): WebhookEvent {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw malformed("delivery is not a JSON object");
  const type = (body as { type?: unknown }).type;
  if (typeof type !== "string" || type.trim() === "") throw malformed("delivery has no type");
  if (type !== "ConnectedCallback" && type !== "DisconnectedCallback") return { kind: "ignored", event: type };

  const parsed = deliverySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(`${type}${issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : ""}: ${issue?.message ?? "invalid"}`);
  }
  const delivery = parsed.data;
  const occurredAt = momentOf(delivery.momment);
  const dedupeKey = createHash("sha256").update(JSON.stringify([delivery.type, delivery.instanceId, delivery.momment ?? null])).digest("hex");
  const common = { instance: delivery.instanceId, occurredAt, dedupeKey };
  if (delivery.type === "ConnectedCallback") {
    return { kind: "connection", ...common, state: "open", gatewayStatus: "connected" };
  }
  const words = (delivery.error ?? "").trim();
  return { kind: "connection", ...common, state: "close", gatewayStatus: `disconnected${words ? `: ${words}` : ""}`.slice(0, 200) };
}
