import { randomBytes } from "node:crypto";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/client";
import { insertChannel, type Channel } from "@/lib/db/channels";
import { channelInputSchema, type ChannelInput } from "@/lib/channels/channel-input";
import type { ProviderKind } from "@/lib/providers/types";

export class ChannelInputError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = "ChannelInputError";
  }
}

export function validateChannelInput(input: ChannelInput) {
  const parsed = channelInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelInputError(issue.message, String(issue.path[0] ?? ""));
  }
  return parsed.data;
}

/**
 * Validates, seals the API key and a fresh per-channel webhook secret with the channel secret key,
 * and stores the channel. The plaintext key goes no further than this function.
 */
export async function createChannel(db: Db, input: ChannelInput, secretKey: string): Promise<Channel> {
  const valid = validateChannelInput(input);
  return insertChannel(db, {
    tenantId: valid.tenantId,
    provider: valid.provider as ProviderKind,
    displayName: valid.displayName,
    phoneNumber: valid.phoneNumber ?? null,
    gatewayUrl: valid.gatewayUrl,
    instanceName: valid.instanceName,
    apiKeyCiphertext: encryptSecret(valid.apiKey, secretKey),
    webhookSecretCiphertext: encryptSecret(randomBytes(24).toString("base64url"), secretKey),
  });
}
