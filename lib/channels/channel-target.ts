import { decryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/client";
import { ChannelNotFoundError } from "@/lib/db/channels";
import type { ChannelTarget, ProviderKind } from "@/lib/providers/types";

/** The channel has no key for where it is now (it moved, and no key was entered since). */
export class MissingApiKeyError extends Error {
  constructor(readonly channelId: string) {
    super("no API key for this gateway: enter it again");
    this.name = "MissingApiKeyError";
  }
}

/**
 * Where a channel lives on its gateway, with its API key decrypted: its own, or its gateway's global
 * key when the channel is set to use it (the database binds both to where they were entered). Service
 * path only: the ciphertext is never readable by `authenticated`, and the plaintext never leaves the
 * server. Call it only after the user's own transaction has shown they administer the channel.
 */
export async function loadChannelTarget(
  sql: Db,
  channelId: string,
  secretKey: string,
): Promise<{ provider: ProviderKind; target: ChannelTarget }> {
  const [row] = await sql<{
    provider: ProviderKind;
    gatewayUrl: string;
    instanceName: string;
    ciphertext: string | null;
    clientTokenCiphertext: string | null;
    wabaId: string | null;
  }[]>`
    select c.provider, c.gateway_url as "gatewayUrl", c.instance_name as "instanceName",
      coalesce(s.api_key_ciphertext, case when c.uses_gateway_key then g.global_key_ciphertext end) as ciphertext,
      s.client_token_ciphertext as "clientTokenCiphertext", c.waba_id as "wabaId"
    from public.channels c
    join public.gateways g on g.id = c.gateway_id
    left join public.channel_secrets s on s.channel_id = c.id
    where c.id = ${channelId}
  `;
  if (!row) throw new ChannelNotFoundError(channelId);
  if (row.ciphertext === null) throw new MissingApiKeyError(channelId);
  return {
    provider: row.provider,
    target: {
      baseUrl: row.gatewayUrl,
      instanceName: row.instanceName,
      apiKey: decryptSecret(row.ciphertext, secretKey),
      ...(row.clientTokenCiphertext ? { clientToken: decryptSecret(row.clientTokenCiphertext, secretKey) } : {}),
      ...(row.wabaId ? { wabaId: row.wabaId } : {}),
    },
  };
}
