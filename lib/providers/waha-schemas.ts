import { z } from "zod";
import type { ConnectResult, GatewayInstance, GatewayState, OwnWebhook, SessionReport, WebhookConfig } from "@/lib/providers/types";

/**
 * WAHA's answers, as its controllers send them (2024.10 source, `src/structures/sessions.dto.ts`,
 * `webhooks.config.dto.ts`; the 2025 docs), read with zod. Only what Sentinela reads is checked; the
 * rest of a session's config passes through untouched, because an update (PUT) replaces all of it.
 */

/** WAHAEvents: the names a session webhook accepts (and `*`). */
export const WAHA_WEBHOOK_EVENTS = [
  "*",
  "session.status",
  "message",
  "message.reaction",
  "message.any",
  "message.ack",
  "message.waiting",
  "message.revoked",
  "state.change",
  "group.join",
  "group.leave",
  "presence.update",
  "poll.vote",
  "poll.vote.failed",
  "chat.archive",
  "call.received",
  "call.accepted",
  "call.rejected",
  "label.upsert",
  "label.deleted",
  "label.chat.added",
  "label.chat.deleted",
] as const;

export const sessionStatusSchema = z.enum(["STOPPED", "STARTING", "SCAN_QR_CODE", "WORKING", "FAILED"]);
export type WahaSessionStatus = z.infer<typeof sessionStatusSchema>;

/** One `config.webhooks` entry; its other fields (hmac, retries, …) are kept as they are. */
export const webhookEntrySchema = z.looseObject({
  url: z.string(),
  events: z.array(z.string()).nullish(),
  customHeaders: z.array(z.looseObject({ name: z.string(), value: z.string() })).nullish(),
});
export type WahaWebhookEntry = z.infer<typeof webhookEntrySchema>;

const sessionConfigSchema = z.looseObject({ webhooks: z.array(webhookEntrySchema).nullish() });

const meSchema = z.looseObject({ id: z.string(), pushName: z.string().nullish() }).nullish();

/** `GET /api/sessions/{name}` (SessionInfo) and what start/stop/restart/update answer (SessionDTO). */
export const sessionSchema = z.looseObject({
  name: z.string(),
  status: sessionStatusSchema,
  config: sessionConfigSchema.nullish(),
  me: meSchema,
});
export type WahaSession = z.infer<typeof sessionSchema>;

export const sessionListSchema = z.array(sessionSchema);

/** `GET /api/{session}/auth/qr?format=raw`. */
export const qrValueSchema = z.object({ value: z.string().min(1) });

/**
 * A WAHA status in Sentinela's neutral words (lib/monitor/classify-state.ts decides what it means):
 * WORKING is open; STARTING is connecting; SCAN_QR_CODE waits for a scan; STOPPED and FAILED are closed
 * on the gateway itself (WAHA gives no WhatsApp close reason).
 */
export function sessionReportOf(status: WahaSessionStatus): SessionReport {
  switch (status) {
    case "WORKING":
      return { state: "open", gatewayStatus: status };
    case "STARTING":
      return { state: "connecting", gatewayStatus: status };
    case "SCAN_QR_CODE":
      return { state: "connecting", awaitingScan: true, gatewayStatus: status };
    case "STOPPED":
      return { state: "close", closedOnGateway: "stopped", gatewayStatus: status };
    case "FAILED":
      return { state: "close", closedOnGateway: "failed", gatewayStatus: status };
  }
}

const LISTED: Record<WahaSessionStatus, GatewayState> = {
  WORKING: "open", STARTING: "connecting", SCAN_QR_CODE: "connecting", STOPPED: "close", FAILED: "close",
};

/** What a start/restart answered, as a connect result: the session is still booting unless WORKING. */
export function connectResultOf(session: WahaSession): ConnectResult {
  if (session.status === "WORKING") return { kind: "open" };
  return { kind: "pending", count: 0, ...(session.status === "SCAN_QR_CODE" ? { awaitingScan: true } : {}) };
}

/** `5511987654321@c.us` (or `…@s.whatsapp.net`) → `+5511987654321`; anything else (a `@lid`) is null. */
export function phoneFromWahaId(id: unknown): string | null {
  if (typeof id !== "string") return null;
  const match = /^([1-9][0-9]{7,14})(?::[0-9]+)?@(c\.us|s\.whatsapp\.net)$/.exec(id.trim());
  return match ? `+${match[1]}` : null;
}

export function toGatewayInstance(session: WahaSession): GatewayInstance {
  return {
    name: session.name,
    phone: phoneFromWahaId(session.me?.id),
    connectionStatus: LISTED[session.status],
    profileName: session.me?.pushName ?? null,
  };
}

/** Sentinela's entry among a session's webhooks: its receiver URL, or its secret header (an older URL). */
export function isOwnEntry(entry: WahaWebhookEntry, own: OwnWebhook): boolean {
  const header = own.secretHeader.toLowerCase();
  return entry.url === own.url || (entry.customHeaders ?? []).some((candidate) => candidate.name.toLowerCase() === header);
}

/** A WAHA entry in the provider-neutral shape. WAHA keeps no switch: an entry there is an enabled one. */
export function toWebhookConfig(entry: WahaWebhookEntry): WebhookConfig {
  return {
    enabled: true,
    url: entry.url,
    events: entry.events ?? [],
    headers: Object.fromEntries((entry.customHeaders ?? []).map((header) => [header.name, header.value])),
    byEvents: false,
    base64: false,
  };
}

/** Sentinela's webhook as a WAHA entry: URL, events and the secret as a custom header (WAHA has no others). */
export function toWebhookEntry(config: WebhookConfig): WahaWebhookEntry {
  return {
    url: config.url,
    events: config.events,
    customHeaders: Object.entries(config.headers).map(([name, value]) => ({ name, value })),
  };
}

/**
 * The message id in `POST /api/sendText`'s answer, which is each engine's own message object: WEBJS
 * `id._serialized` (or `id.id`), NOWEB `key.id`, GOWS `id` as a string. Null when none is there: the
 * answer is still a success (a 2xx with a JSON object), only without an id to record.
 */
export function sentMessageIdOf(body: Record<string, unknown>): string | null {
  const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.slice(0, 200) : null);
  const id = body.id;
  if (text(id)) return text(id);
  if (typeof id === "object" && id !== null) {
    const record = id as { _serialized?: unknown; id?: unknown };
    const found = text(record._serialized) ?? text(record.id);
    if (found) return found;
  }
  const key = body.key;
  if (typeof key === "object" && key !== null) return text((key as { id?: unknown }).id);
  return null;
}

/** WAHA's words in an error body: Nest's `message` (string or list), else WAHA's own `error`. */
export function wahaErrorWords(raw: string): string | null {
  try {
    const body = JSON.parse(raw) as { message?: unknown; error?: unknown } | null;
    const message = Array.isArray(body?.message) ? body.message.filter((part) => typeof part === "string").join("; ") : body?.message;
    // Nest's `message` says what happened (its `error` is only the status's name); WAHA's 422 has only `error`.
    const words = typeof message === "string" && message !== "" ? message : typeof body?.error === "string" ? body.error : null;
    return words ? words.slice(0, 300) : null;
  } catch {
    return null;
  }
}
