import { randomBytes } from "node:crypto";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/client";
import { findChannelAt, insertChannel, type Channel } from "@/lib/db/channels";
import { channelInputSchema, type ChannelInput } from "@/lib/channels/channel-input";
import { canonicalGatewayUrl, describeUrlRefusal } from "@/lib/net/canonical-origin";
import type { ProviderKind } from "@/lib/providers/types";

export class ChannelInputError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = "ChannelInputError";
  }
}

/** The gateway instance is already a channel (of any tenant): one instance, one channel. */
export class ChannelExistsError extends Error {
  constructor(readonly existing: { id: string; displayName: string }) {
    super(`channel already exists: ${existing.displayName} (${existing.id})`);
    this.name = "ChannelExistsError";
  }
}

export function validateChannelInput(input: ChannelInput) {
  const parsed = channelInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelInputError(issue.message, String(issue.path[0] ?? ""));
  }
  return { ...parsed.data, gatewayUrl: canonicalGatewayUrlOrThrow(parsed.data.gatewayUrl) };
}

/** The one spelling uniqueness and key binding compare (lib/net/canonical-origin.ts). */
export function canonicalGatewayUrlOrThrow(url: string): string {
  const canonical = canonicalGatewayUrl(url);
  if (!canonical.ok) {
    throw new ChannelInputError(`gateway URL ${describeUrlRefusal(canonical.reason)}`, "gatewayUrl");
  }
  return canonical.url;
}

/**
 * Validates, seals the API key and a fresh per-channel webhook secret with the channel secret key,
 * and stores the channel. The plaintext key goes no further than this function.
 */
export async function createChannel(db: Db, input: ChannelInput, secretKey: string): Promise<Channel> {
  const valid = validateChannelInput(input);
  const existing = await findChannelAt(db, valid.gatewayUrl, valid.instanceName);
  if (existing) throw new ChannelExistsError(existing);
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
