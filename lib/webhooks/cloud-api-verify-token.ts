import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The verify token of a Cloud API channel's callback URL, for Meta's handshake (`GET …?hub.mode=subscribe
 * &hub.verify_token=…&hub.challenge=…`). Derived, not stored: an HMAC of the channel id with
 * CHANNEL_SECRET_KEY, so every channel has its own, admins read it in the channel's technical details
 * (to paste into Meta's App Dashboard with the callback URL), and nobody can compute it without the key.
 */

const LABEL = "sentinela:cloud-api-verify-token:";

export function cloudApiVerifyToken(channelId: string, secretKey: string): string {
  return createHmac("sha256", Buffer.from(secretKey, "base64")).update(LABEL + channelId.toLowerCase()).digest("base64url").slice(0, 32);
}

/** Constant time over hashes of both sides: neither the token nor its length leaks through timing. */
export function verifyTokenMatches(presented: string | null, channelId: string, secretKey: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  const expected = cloudApiVerifyToken(channelId, secretKey);
  return timingSafeEqual(digest(presented ?? ""), digest(expected)) && Boolean(presented);
}

/** Sentinela's callback URL for the channel: what goes into the App Dashboard's "Callback URL". */
export function cloudApiCallbackUrl(appUrl: string, channelId: string): string {
  return `${appUrl.replace(/\/+$/, "")}/api/webhooks/cloud-api/${channelId}`;
}
