import { decryptSecret } from "@/lib/crypto/secret-box";
import { findCloudApiDeliveryTarget } from "@/lib/db/cloud-api-deliveries";
import { findWebhookChannel } from "@/lib/db/webhook-events";
import { EnvError } from "@/lib/env";
import { ApiError, errorResponse, toErrorResponse } from "@/lib/http/api-error";
import { parseCloudApiDelivery } from "@/lib/providers/cloud-api-webhook";
import { ProviderError, type WebhookEvent } from "@/lib/providers/types";
import { applyWebhookEvent, type ApplyOutcome } from "@/lib/webhooks/apply-webhook-event";
import { verifyTokenMatches } from "@/lib/webhooks/cloud-api-verify-token";
import { HUB_SIGNATURE_HEADER, verifyHubSignature } from "@/lib/webhooks/hub-signature";
import { MAX_WEBHOOK_BODY_BYTES, tooLarge } from "@/lib/webhooks/receive-event";
import { readBodyCapped, type WebhookRequestDeps } from "@/lib/webhooks/webhook-request";

/**
 * `/api/webhooks/cloud-api/<channel id>`: Meta's deliveries for one Cloud API channel. Meta sends an
 * app's webhooks signed with the app secret (`X-Hub-Signature-256`), not a per-channel header, so this
 * receiver authenticates differently from the others (lib/webhooks/receive-event.ts) and applies the
 * same way (lib/webhooks/apply-webhook-event.ts).
 *
 * What must stay true:
 * - Nothing is read, parsed or changed before the signature over the raw bytes checks out with the
 *   channel's app secret: unsigned or badly signed → 401; an unknown channel (or one of another kind)
 *   answers the same 401, so ids cannot be probed. A Cloud API channel with no app secret stored → 409,
 *   saying what to do (its checks still monitor it).
 * - Malformed JSON or not a delivery → 400 (Meta retries other failures; a body it signed that we cannot
 *   read never will be).
 * - Only the changes for this channel's number or account are applied (cloud-api-webhook.ts); a delivery
 *   about other lines of the same app is acknowledged and changes nothing here.
 * - Nothing is forwarded: several apps can subscribe to one account, so the platform keeps its own.
 * - GET is Meta's handshake: `hub.mode=subscribe` with the channel's verify token echoes `hub.challenge`
 *   as text/plain; a wrong token is 403.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Meta's challenge is a short number; anything longer than this is not one. */
const MAX_CHALLENGE_LENGTH = 200;

const unsigned = () =>
  new ApiError(401, "unauthorized", `Missing or wrong ${HUB_SIGNATURE_HEADER} for this channel (HMAC-SHA256 of the body with the Meta app's secret).`);

/** The order that says most: a transition, then a state kept, then the rest. */
const WEIGHT: Record<ApplyOutcome, number> = { transition: 5, unchanged: 4, stale: 3, paused: 2, noted: 1, ignored: 0 };

export interface CloudApiReceived {
  /** The fields read for this channel, comma-separated ("" when the delivery had none for it). */
  event: string;
  outcome: ApplyOutcome;
  /** The delivery's changes for this channel, each applied (a state) or noted (a sign of life). */
  applied: number;
}

function eventName(event: WebhookEvent): string {
  switch (event.kind) {
    case "ignored":
      return event.event;
    case "status":
      return event.status.split(" ")[0];
    case "connection":
      return (event.gatewayStatus ?? "").split(" ")[0];
    default:
      return event.kind;
  }
}

/** One POST: authenticate, read, apply. Throws ApiError for every refusal (nothing changed then). */
export async function receiveCloudApiDelivery(deps: WebhookRequestDeps, channelId: string, request: Request): Promise<CloudApiReceived> {
  const channel = UUID.test(channelId) ? await findWebhookChannel(deps.db, channelId) : null;
  const target = channel?.provider === "cloud-api" ? await findCloudApiDeliveryTarget(deps.db, channelId) : null;
  if (!channel || !target) throw unsigned();
  if (!target.appSecretCiphertext) {
    throw new ApiError(409, "no_app_secret",
      "This channel has no app secret stored, so its deliveries cannot be verified: add the Meta app's secret to the channel (form field or `sentinela channel edit <id> --app-secret`).");
  }
  let appSecret: string;
  try {
    appSecret = decryptSecret(target.appSecretCiphertext, deps.secretKey);
  } catch (error) {
    console.error("cloud-api app secret cannot be decrypted; deliveries are refused", error instanceof Error ? error.message : error);
    throw new ApiError(409, "no_app_secret", "This channel's stored app secret cannot be read: enter it again.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_WEBHOOK_BODY_BYTES) throw tooLarge(MAX_WEBHOOK_BODY_BYTES);
  const body = await readBodyCapped(request, MAX_WEBHOOK_BODY_BYTES);
  if (!verifyHubSignature(body, request.headers.get(HUB_SIGNATURE_HEADER), appSecret)) throw unsigned();

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (error) {
    throw new ApiError(400, "invalid_body", error instanceof TypeError ? "Body is not valid UTF-8." : "Body is not valid JSON.");
  }
  const now = deps.clock();
  let events: WebhookEvent[];
  try {
    events = parseCloudApiDelivery(json, { phoneNumberId: channel.instanceName, wabaId: target.wabaId, phone: target.phoneNumber }, now);
  } catch (error) {
    if (error instanceof ProviderError) throw new ApiError(400, "invalid_body", `Not a Cloud API delivery: ${error.message}`.slice(0, 500));
    throw error;
  }
  let outcome: ApplyOutcome = "ignored";
  for (const event of events) {
    const applied = await applyWebhookEvent(deps.db, channel, event, now);
    if (WEIGHT[applied] > WEIGHT[outcome]) outcome = applied;
  }
  return { event: [...new Set(events.map(eventName))].join(",").slice(0, 200), outcome, applied: events.length };
}

/** POST: the answer, and the incident step after a transition (as the other receivers do). */
export async function handleCloudApiDelivery(request: Request, channelId: string, loadDeps: () => Promise<WebhookRequestDeps>): Promise<Response> {
  try {
    const deps = await loadDeps();
    const received = await receiveCloudApiDelivery(deps, channelId, request);
    const afterTransition = deps.afterTransition;
    if (received.outcome === "transition" && afterTransition) deps.defer(async () => void (await afterTransition(channelId)));
    return Response.json({ ok: true, ...received }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof EnvError) return errorResponse(500, "misconfigured", error.message);
    return toErrorResponse(error);
  }
}

/** GET: Meta's verification handshake for the callback URL. Needs only the secret key, not the database. */
export function handleCloudApiHandshake(request: Request, channelId: string, secretKey: () => string): Response {
  try {
    const query = new URL(request.url).searchParams;
    const mode = query.get("hub.mode");
    const challenge = query.get("hub.challenge");
    if (mode !== "subscribe" || challenge === null || challenge === "" || challenge.length > MAX_CHALLENGE_LENGTH) {
      return errorResponse(400, "invalid_handshake", "Expected hub.mode=subscribe with hub.verify_token and hub.challenge.");
    }
    if (!UUID.test(channelId) || !verifyTokenMatches(query.get("hub.verify_token"), channelId, secretKey())) {
      return errorResponse(403, "forbidden", "Wrong hub.verify_token for this channel (see the channel's technical details).");
    }
    return new Response(challenge, {
      status: 200,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
    });
  } catch (error) {
    if (error instanceof EnvError) return errorResponse(500, "misconfigured", error.message);
    return toErrorResponse(error);
  }
}
