import { decryptSecret } from "@/lib/crypto/secret-box";
import type { Db } from "@/lib/db/client";
import { ChannelNotFoundError } from "@/lib/db/channels";
import type { ChannelTarget, ProviderKind } from "@/lib/providers/types";

/**
 * Where a channel lives on its gateway, with its API key decrypted. Service path only: the ciphertext
 * is never readable by `authenticated`, and the plaintext never leaves the server. Call it only after
 * the user's own transaction has shown they administer the channel.
 */
export async function loadChannelTarget(
  sql: Db,
  channelId: string,
  secretKey: string,
): Promise<{ provider: ProviderKind; target: ChannelTarget }> {
  const [row] = await sql<{ provider: ProviderKind; gatewayUrl: string; instanceName: string; ciphertext: string }[]>`
    select c.provider, c.gateway_url as "gatewayUrl", c.instance_name as "instanceName", s.api_key_ciphertext as ciphertext
    from public.channels c join public.channel_secrets s on s.channel_id = c.id
    where c.id = ${channelId}
  `;
  if (!row) throw new ChannelNotFoundError(channelId);
  return {
    provider: row.provider,
    target: { baseUrl: row.gatewayUrl, instanceName: row.instanceName, apiKey: decryptSecret(row.ciphertext, secretKey) },
  };
}
