import type { Db, Sql, Tx } from "@/lib/db/client";
import { enqueueForward } from "@/lib/db/webhook-forwards";
import { findWebhookChannel, recordEventReceived, type WebhookChannel } from "@/lib/db/webhook-events";
import { ApiError } from "@/lib/http/api-error";
import { ProviderError, type Provider, type ProviderKind, type WebhookEvent } from "@/lib/providers/types";
import { applyWebhookEvent, type ApplyOutcome } from "@/lib/webhooks/apply-webhook-event";
import { dedupeKeyOf, eventUrlSuffix, wantsEvent } from "@/lib/webhooks/downstream";
import { verifyWebhookSecret } from "@/lib/webhooks/verify-webhook-secret";

/**
 * One gateway delivery to `POST /api/webhooks/<provider>/<channel id>`: authenticate it against the
 * channel's own secret, read it, apply it, and queue it for the channel's downstream. Anything refused
 * changes nothing. The gateway does not retry 400/401, so those are kept for deliveries that can never
 * succeed; a database failure throws (500) so the gateway tries again.
 *
 * What must stay true for a channel with a downstream (the platform's webhook, adopted or set by an
 * admin): an authenticated delivery is never answered 4xx, since it would have reached the platform.
 * A body too large or not a gateway event is still forwarded (and not applied). The forward row is
 * written in the transaction that accepts the event, so an accepted event is never lost to a crash
 * between answering and forwarding.
 */

/** What a gateway event body may be to be read and applied (state events are well under 1 KB). */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
/** Queued for the downstream up to this size; a larger body is forwarded straight from the request. */
export const MAX_QUEUED_FORWARD_BYTES = 8 * 1024 * 1024;
/** Not even forwarded beyond this: a body this large is a base64 video, which adoption refuses anyway. */
export const MAX_FORWARD_BODY_BYTES = 32 * 1024 * 1024;

export interface ReceiverDeps {
  db: Db;
  secretKey: string;
  providers: Record<ProviderKind, Provider>;
  clock: () => Date;
}

export interface Delivery {
  provider: ProviderKind;
  channelId: string;
  /** The secret header's value, as presented. */
  secret: string | null;
  /** The declared Content-Length, if any. */
  declaredLength: number;
  /** Read only once the sender is authenticated; throws ApiError(400/413) past `limit` bytes. */
  readBody: (limit: number) => Promise<Uint8Array>;
}

export type ReceiveOutcome = ApplyOutcome | "forwarded";

export interface Received {
  /** The event name as the gateway sent it (or "" when it sent none we could read). */
  event: string;
  outcome: ReceiveOutcome;
  /**
   * queued: a row waits in webhook_forwards (send it after answering); direct: too large to queue, send
   * these bytes from the request itself; null: nothing to forward.
   */
  forward: { kind: "queued"; channelId: string } | { kind: "direct"; channelId: string; body: Uint8Array; suffix: string } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Unknown channel, wrong provider, wrong or missing secret: one answer, so channel ids cannot be probed.
const unauthorized = () =>
  new ApiError(401, "unauthorized", "Missing or wrong webhook secret for this channel (header x-sentinela-webhook-secret).");

const invalid = (message: string) => new ApiError(400, "invalid_body", message.slice(0, 500));

export const tooLarge = (limit: number) =>
  new ApiError(limit > MAX_WEBHOOK_BODY_BYTES ? 413 : 400, "body_too_large", `Body is larger than ${limit} bytes; the event was not read.`);

/** Does the channel forward what it receives? Not in mode off: there the platform feeds us, and echoing would loop. */
export function forwards(channel: WebhookChannel): boolean {
  return channel.downstreamUrl !== null && channel.webhookMode !== "off";
}

interface Reading {
  name: string;
  event?: WebhookEvent;
  /** Why the body cannot be applied (what a channel without a downstream answers). */
  problem?: ApiError;
}

/** Bytes → event, never throwing: what is wrong with the body is returned as `problem`. */
function readEvent(body: Uint8Array, channel: WebhookChannel, provider: Provider): Reading {
  if (body.byteLength > MAX_WEBHOOK_BODY_BYTES) return { name: "", problem: tooLarge(MAX_WEBHOOK_BODY_BYTES) };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (error) {
    const utf8 = error instanceof TypeError;
    return { name: "", problem: invalid(utf8 ? "Body is not valid UTF-8." : `Body is not valid JSON: ${(error as Error).message}`.slice(0, 300)) };
  }
  const event = (json as { event?: unknown } | null)?.event;
  const name = typeof event === "string" ? event : "";
  let parsed: WebhookEvent;
  try {
    parsed = provider.parseWebhookEvent(json);
  } catch (error) {
    if (error instanceof ProviderError) return { name, problem: invalid(`Not a gateway event: ${error.message}`) };
    throw error;
  }
  if (parsed.kind !== "ignored" && parsed.instance !== channel.instanceName) {
    return { name, problem: invalid(`Event is for instance "${parsed.instance.slice(0, 200)}", not this channel's instance.`) };
  }
  return { name, event: parsed };
}

function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ("begin" in db ? (db as Sql).begin(fn) : (db as Tx).savepoint(fn)) as Promise<T>;
}

export async function receiveWebhook(deps: ReceiverDeps, delivery: Delivery): Promise<Received> {
  const channel = UUID.test(delivery.channelId) ? await findWebhookChannel(deps.db, delivery.channelId) : null;
  const authentic = verifyWebhookSecret(delivery.secret, channel?.secretCiphertext ?? null, deps.secretKey);
  if (!channel || !authentic || channel.provider !== delivery.provider) throw unauthorized();
  const provider = deps.providers[channel.provider];

  if (!forwards(channel)) {
    if (delivery.declaredLength > MAX_WEBHOOK_BODY_BYTES) throw tooLarge(MAX_WEBHOOK_BODY_BYTES);
    const reading = readEvent(await delivery.readBody(MAX_WEBHOOK_BODY_BYTES), channel, provider);
    if (reading.problem) throw reading.problem;
    return { event: reading.name, outcome: await applyWebhookEvent(deps.db, channel, reading.event!, deps.clock()), forward: null };
  }

  if (delivery.declaredLength > MAX_FORWARD_BODY_BYTES) throw tooLarge(MAX_FORWARD_BODY_BYTES);
  const body = await delivery.readBody(MAX_FORWARD_BODY_BYTES);
  const reading = readEvent(body, channel, provider);
  const wanted = wantsEvent({ events: channel.downstreamEvents }, reading.name || null);
  const suffix = reading.name ? eventUrlSuffix(reading.name) : "";
  const now = deps.clock();

  if (body.byteLength > MAX_QUEUED_FORWARD_BYTES) {
    await recordEventReceived(deps.db, channel.channelId, now);
    return { event: reading.name, outcome: "forwarded", forward: wanted ? { kind: "direct", channelId: channel.channelId, body, suffix } : null };
  }
  return inTransaction(deps.db, async (tx) => {
    let outcome: ReceiveOutcome;
    if (reading.event) {
      outcome = await applyWebhookEvent(tx, channel, reading.event, now);
    } else {
      // Authenticated, so it came through the gateway's webhook: a sign of life, forwarded, not applied.
      await recordEventReceived(tx, channel.channelId, now);
      outcome = "forwarded";
    }
    if (!wanted) return { event: reading.name, outcome, forward: null };
    await enqueueForward(tx, {
      channelId: channel.channelId, tenantId: channel.tenantId, dedupeKey: dedupeKeyOf(body), body, urlSuffix: suffix, at: now,
    });
    return { event: reading.name, outcome, forward: { kind: "queued" as const, channelId: channel.channelId } };
  });
}
