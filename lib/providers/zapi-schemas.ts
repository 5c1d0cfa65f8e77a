import { z } from "zod";
import type { SessionReport, WebhookConfig } from "@/lib/providers/types";

/**
 * Z-API's answers as developer.z-api.io documents them (read 2026-11-30; Z-API's API is unversioned),
 * read with zod. Only what Sentinela reads is checked.
 */

/** The events whose URLs Sentinela sets (Z-API's webhook settings "on connected" / "on disconnected"). */
export const ZAPI_WEBHOOK_EVENTS = ["connected", "disconnected"] as const;
export type ZapiWebhookEvent = (typeof ZAPI_WEBHOOK_EVENTS)[number];

/** `GET …/status`: `error` carries Z-API's words even when all is well ("You are already connected."). */
export const statusSchema = z.looseObject({
  connected: z.boolean(),
  error: z.string().nullish(),
  smartphoneConnected: z.boolean().nullish(),
});
export type ZapiStatus = z.infer<typeof statusSchema>;

/** `GET …/restart`, `PUT …/update-webhook-*`: `{"value": true}`. */
export const valueTrueSchema = z.looseObject({ value: z.boolean() });

/** `GET …/qr-code/image`: a data URL; an already connected instance answers `connected` instead. */
export const qrImageSchema = z
  .looseObject({ value: z.string().min(1).nullish(), connected: z.boolean().nullish() })
  .refine((answer) => typeof answer.value === "string" || answer.connected === true, "neither a QR code nor connected");

/** `GET …/me`: the instance data; only the two webhook URLs Sentinela keeps are read. */
export const meSchema = z.looseObject({
  connectedCallbackUrl: z.string().nullish(),
  disconnectedCallbackUrl: z.string().nullish(),
});
export type ZapiMe = z.infer<typeof meSchema>;

const NOT_CONNECTED = /not connected/i;
const RESTORE = /restore the session/i;

/**
 * A Z-API status in Sentinela's neutral words (lib/monitor/classify-state.ts decides): connected is open
 * (a phone off the internet is still open: multi-device sends without it; the technical details say
 * so); "You are not connected." means no phone is paired (Z-API shows a QR code); anything else not
 * connected ("You need to restore the session.") is a drop a restart repairs.
 */
export function statusReportOf(status: ZapiStatus): SessionReport {
  const words = (status.error ?? "").trim();
  if (status.connected) {
    return { state: "open", gatewayStatus: status.smartphoneConnected === false ? "connected; smartphone offline" : "connected" };
  }
  const gatewayStatus = `not connected${words ? `: ${words}` : ""}`.slice(0, 200);
  if (NOT_CONNECTED.test(words) && !RESTORE.test(words)) return { state: "close", awaitingScan: true, gatewayStatus };
  return { state: "close", gatewayStatus };
}

/** Z-API's refusals carry an `error` string: a token it does not allow, or an id/token pair it does not know. */
export function refusalOf(raw: string): "client_token" | "instance" | null {
  if (/not allowed/i.test(raw)) return "client_token";
  if (/instance not found|invalid token/i.test(raw)) return "instance";
  return null;
}

/**
 * Sentinela's receiver URL with the channel's secret as the last path segment: Z-API sends no custom
 * header, so the secret travels in the URL (never logged: see README, "Gateway adapters").
 */
export function urlWithSecret(receiverUrl: string, secret: string): string {
  return `${receiverUrl.replace(/\/+$/, "")}/${encodeURIComponent(secret)}`;
}

/** The secret in a URL that is the receiver's plus one path segment; null for any other URL. */
export function secretInUrl(url: string, receiverUrl: string): string | null {
  const prefix = `${receiverUrl.replace(/\/+$/, "")}/`;
  if (!url.startsWith(prefix)) return null;
  const rest = url.slice(prefix.length);
  if (rest === "" || /[/?#]/.test(rest)) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
}

/**
 * Sentinela's receiver for the same channel at another address (APP_URL changed since it was set): the
 * URL without its secret, or null. Such a URL must never be taken for the platform's and adopted, since
 * its path carries the channel's secret.
 */
export function staleReceiverUrl(url: string, receiverUrl: string): string | null {
  const channel = /\/api\/webhooks\/zapi\/([^/?#]+)\/?$/.exec(receiverUrl)?.[1];
  if (!channel) return null;
  const escaped = channel.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`^(.*/api/webhooks/zapi/${escaped})/[^/?#]+$`).exec(url);
  return match ? match[1]! : null;
}

/**
 * The two URLs as one provider-neutral webhook. Ours (receiver + secret) reads back as the receiver URL
 * with the secret in `secretHeader`, so the drift check compares it as it compares a header. Two
 * different foreign URLs cannot be one webhook: null then, and the caller refuses to touch them.
 */
export function toWebhookConfig(me: ZapiMe, own: { url: string; secretHeader: string } | undefined): WebhookConfig | "split" | null {
  const urls: Record<ZapiWebhookEvent, string> = {
    connected: (me.connectedCallbackUrl ?? "").trim(),
    disconnected: (me.disconnectedCallbackUrl ?? "").trim(),
  };
  const readings = ZAPI_WEBHOOK_EVENTS.filter((event) => urls[event] !== "").map((event) => {
    const secret = own ? secretInUrl(urls[event], own.url) : null;
    const stale = own && secret === null ? staleReceiverUrl(urls[event], own.url) : null;
    return { event, url: secret !== null ? own!.url : (stale ?? urls[event]), secret, stale: stale !== null };
  });
  if (readings.length === 0) return null;
  const first = readings[0]!;
  // Ours on one event and a foreign URL on the other: ours is what Sentinela keeps; the other shows as missing.
  const chosen = readings.find((reading) => reading.secret !== null) ?? first;
  const same = readings.filter((reading) => reading.url === chosen.url && reading.secret === chosen.secret);
  if (chosen.secret === null && same.length !== readings.length) return "split";
  return {
    // Ours at an old address reads as switched off: repaired, never adopted as the platform's.
    enabled: !chosen.stale,
    url: chosen.url,
    events: same.map((reading) => reading.event),
    headers: chosen.secret !== null && own ? { [own.secretHeader]: chosen.secret } : {},
    byEvents: false,
    base64: false,
  };
}

/**
 * `POST …/send-text`'s answer: `zaapId` (Z-API's id), `messageId` (WhatsApp's) and `id` (the same as
 * `messageId`, kept "for Zapier"). Only the ids are read; anything else Z-API adds is ignored.
 */
export const sentTextSchema = z.object({
  zaapId: z.string().min(1),
  messageId: z.string().min(1),
  id: z.string().optional(),
});
