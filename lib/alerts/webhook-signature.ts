import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The signature on every alert webhook (README: "Alert webhooks"). What must stay true:
 * - header `x-sentinela-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`;
 * - the timestamp is inside the signed text, so it cannot be changed without the secret, and a
 *   receiver that refuses a `t` older than its tolerance (DEFAULT_TOLERANCE_SECONDS) refuses a replay;
 * - receivers verify against the raw body bytes, before parsing JSON, in constant time.
 */

export const SIGNATURE_HEADER = "x-sentinela-signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new endpoint's secret: 32 random bytes, shown once to the admin who creates it. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

export function signWebhookBody(secret: string, body: string, now: Date): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export type SignatureVerdict = { valid: true; timestamp: number } | { valid: false; reason: "malformed" | "mismatch" | "too_old" | "in_future" };

/**
 * What a receiver does (and what tests check): parse the header, recompute the HMAC over "t.body",
 * compare in constant time, then refuse a timestamp outside the tolerance either way.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  now: Date,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureVerdict {
  if (!header) return { valid: false, reason: "malformed" };
  const parts = new Map<string, string[]>();
  for (const piece of header.split(",")) {
    const at = piece.indexOf("=");
    if (at < 1) return { valid: false, reason: "malformed" };
    const key = piece.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), piece.slice(at + 1).trim()]);
  }
  const t = parts.get("t");
  if (!t || t.length !== 1 || !/^\d{1,12}$/.test(t[0])) return { valid: false, reason: "malformed" };
  const timestamp = Number(t[0]);
  const expected = Buffer.from(hmacHex(secret, timestamp, body), "hex");
  const matches = (parts.get("v1") ?? []).some((candidate) => {
    if (!/^[0-9a-f]{64}$/i.test(candidate)) return false;
    return timingSafeEqual(Buffer.from(candidate, "hex"), expected);
  });
  if (!matches) return { valid: false, reason: "mismatch" };
  const age = Math.floor(now.getTime() / 1000) - timestamp;
  if (age > toleranceSeconds) return { valid: false, reason: "too_old" };
  if (age < -toleranceSeconds) return { valid: false, reason: "in_future" };
  return { valid: true, timestamp };
}
