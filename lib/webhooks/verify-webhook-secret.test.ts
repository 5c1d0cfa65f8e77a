import { describe, expect, it } from "vitest";
import { encryptSecret, generateSecretKey } from "@/lib/crypto/secret-box";
import { verifyWebhookSecret } from "@/lib/webhooks/verify-webhook-secret";

describe("verifyWebhookSecret", () => {
  const key = generateSecretKey();
  const sealed = encryptSecret("per-channel-secret", key);

  it("accepts only the channel's own secret", () => {
    expect(verifyWebhookSecret("per-channel-secret", sealed, key)).toBe(true);
    for (const presented of ["per-channel-secretx", "", null, "PER-CHANNEL-SECRET"]) {
      expect(verifyWebhookSecret(presented, sealed, key)).toBe(false);
    }
  });

  it("fails closed when there is no secret, or it cannot be decrypted", () => {
    expect(verifyWebhookSecret("anything", null, key)).toBe(false);
    expect(verifyWebhookSecret("", null, key)).toBe(false);
    expect(verifyWebhookSecret("per-channel-secret", sealed, generateSecretKey())).toBe(false);
  });
});
