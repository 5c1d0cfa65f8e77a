import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Meta's signature on a Cloud API delivery: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
 * body with the app secret>`. What must stay true: the HMAC is over the bytes as received (never a
 * re-serialised JSON), the comparison is constant time over equal-length digests (a malformed or
 * missing header costs the same and never matches), and an empty secret never matches anything.
 */

export const HUB_SIGNATURE_HEADER = "x-hub-signature-256";

/** What Meta sends for `body` signed with `appSecret` (tests and the simulator sign with it). */
export function signHubBody(body: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

export function verifyHubSignature(body: Uint8Array | string, presented: string | null, appSecret: string): boolean {
  const expected = createHmac("sha256", appSecret || "\u0000no secret").update(body).digest();
  const match = /^sha256=([0-9a-f]{64})$/i.exec(presented?.trim() ?? "");
  // Compare even when the header is unreadable, so a malformed one costs the same as a wrong one.
  const given = match ? Buffer.from(match[1], "hex") : Buffer.alloc(expected.length);
  const equal = timingSafeEqual(given, expected);
  return equal && match !== null && appSecret !== "";
}
