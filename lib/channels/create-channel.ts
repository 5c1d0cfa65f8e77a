import { randomBytes } from "node:crypto";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/client";
import { findChannelAt, insertChannel, type Channel } from "@/lib/db/channels";
import { channelInputSchema, type ChannelInput } from "@/lib/channels/channel-input";
import { canonicalGatewayUrl, describeUrlRefusal } from "@/lib/net/canonical-origin";
import { credentialProblems } from "@/lib/providers/traits";

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
  const [problem] = credentialProblems(parsed.data.provider, parsed.data);
  if (problem) throw new ChannelInputError(problem.message, problem.field);
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
 * Validates (the credentials its kind takes, lib/providers/traits.ts), seals the API key, a client token
 * and a fresh per-channel webhook secret with the channel secret key, and stores the channel. The
 * plaintext secrets go no further than this function.
 */
export async function createChannel(db: Db, input: ChannelInput, secretKey: string): Promise<Channel> {
  const valid = validateChannelInput(input);
  const existing = await findChannelAt(db, valid.gatewayUrl, valid.instanceName);
  if (existing) throw new ChannelExistsError(existing);
  return insertChannel(db, {
    tenantId: valid.tenantId,
    provider: valid.provider,
    displayName: valid.displayName,
    phoneNumber: valid.phoneNumber ?? null,
    gatewayUrl: valid.gatewayUrl,
    instanceName: valid.instanceName,
    apiKeyCiphertext: encryptSecret(valid.apiKey, secretKey),
    clientTokenCiphertext: valid.clientToken ? encryptSecret(valid.clientToken, secretKey) : null,
    wabaId: valid.wabaId ?? null,
    appSecretCiphertext: valid.appSecret ? encryptSecret(valid.appSecret, secretKey) : null,
    webhookSecretCiphertext: encryptSecret(randomBytes(24).toString("base64url"), secretKey),
  });
}
