import { createHash, timingSafeEqual } from "node:crypto";
import { decryptSecret } from "@/lib/crypto/secret-box";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Whether the presented header matches the channel's sealed webhook secret. Both sides are hashed
 * before the constant-time comparison, so neither the secret nor its length leaks through timing.
 * A channel without a readable secret never matches: it fails closed, with the reason in the log.
 */
export function verifyWebhookSecret(presented: string | null, sealed: string | null, secretKey: string): boolean {
  let expected: string | null = null;
  if (sealed) {
    try {
      expected = decryptSecret(sealed, secretKey);
    } catch (error) {
      console.error("webhook secret cannot be decrypted; deliveries are refused", error instanceof Error ? error.message : error);
    }
  }
  // Compare even when there is nothing to compare with, so a missing channel costs the same.
  const matches = timingSafeEqual(digest(presented ?? ""), digest(expected ?? "\u0000no secret"));
  return matches && expected !== null && Boolean(presented);
}
