import type { Db } from "@/lib/db/client";
import { findWebhookChannel } from "@/lib/db/webhook-events";
import { ApiError } from "@/lib/http/api-error";
import { ProviderError, type Provider, type ProviderKind } from "@/lib/providers/types";
import { applyWebhookEvent, type ApplyOutcome } from "@/lib/webhooks/apply-webhook-event";
import type { ForwardJob } from "@/lib/webhooks/forward-downstream";
import { verifyWebhookSecret } from "@/lib/webhooks/verify-webhook-secret";

/**
 * One gateway delivery to `POST /api/webhooks/<provider>/<channel id>`: authenticate it against the
 * channel's own secret, read it, apply it. Anything refused changes nothing. The gateway does not retry
 * 400/401, so those are kept for deliveries that can never succeed; a database failure throws (500) so
 * the gateway tries again.
 */

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
  /** Read only once the sender is authenticated; throws ApiError(400) when too large. */
  readBody: () => Promise<string>;
}

export interface Received {
  /** The event name as the gateway sent it (or null when it sent none we could read). */
  event: string;
  outcome: ApplyOutcome;
  /** Set when the channel has a downstream URL: the body to forward, after answering. */
  forward: ForwardJob | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Unknown channel, wrong provider, wrong or missing secret: one answer, so channel ids cannot be probed.
const unauthorized = () =>
  new ApiError(401, "unauthorized", "Missing or wrong webhook secret for this channel (header x-sentinela-webhook-secret).");

const invalid = (message: string) => new ApiError(400, "invalid_body", message);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(`Body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300));
  }
}

export async function receiveWebhook(deps: ReceiverDeps, delivery: Delivery): Promise<Received> {
  const channel = UUID.test(delivery.channelId) ? await findWebhookChannel(deps.db, delivery.channelId) : null;
  const authentic = verifyWebhookSecret(delivery.secret, channel?.secretCiphertext ?? null, deps.secretKey);
  if (!channel || !authentic || channel.provider !== delivery.provider) throw unauthorized();

  const body = await delivery.readBody();
  const json = parseJson(body);
  let event;
  try {
    event = deps.providers[channel.provider].parseWebhookEvent(json);
  } catch (error) {
    if (error instanceof ProviderError) throw invalid(`Not a gateway event: ${error.message}`.slice(0, 500));
    throw error;
  }
  if (event.kind !== "ignored" && event.instance !== channel.instanceName) {
    throw invalid(`Event is for instance "${event.instance.slice(0, 200)}", not this channel's instance.`);
  }

  const outcome = await applyWebhookEvent(deps.db, channel, event, deps.clock());
  const name = typeof (json as { event?: unknown }).event === "string" ? (json as { event: string }).event : "";
  return {
    event: name,
    outcome,
    forward: channel.downstreamUrl ? { channelId: channel.channelId, url: channel.downstreamUrl, body } : null,
  };
}
