import { ChannelExistsError, ChannelInputError, canonicalGatewayUrlOrThrow } from "@/lib/channels/create-channel";
import { channelInputSchema } from "@/lib/channels/channel-input";
import { keyStaysBound } from "@/lib/channels/key-binding";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Sql } from "@/lib/db/client";
import { findChannelAt, getChannel, updateChannel, type Channel } from "@/lib/db/channels";
import { findOrCreateTenantGateway } from "@/lib/db/gateways";

/** What `channel edit` may change; anything absent stays as it is. Null phone: remove it. */
export interface ChannelEdit {
  gatewayUrl?: string;
  instanceName?: string;
  apiKey?: string;
  displayName?: string;
  phoneNumber?: string | null;
}

const editSchema = channelInputSchema.pick({
  gatewayUrl: true, instanceName: true, apiKey: true, displayName: true, phoneNumber: true,
}).partial();

/**
 * The service path's edit (the CLI): the same rules as a tenant admin's form. Moving the channel to
 * another gateway URL or instance needs its key again, since a stored key is only ever sent to where
 * it was entered for (the database clears it on a move, and the new key is written after the move).
 */
export async function editChannel(sql: Sql, id: string, edit: ChannelEdit, secretKey: string): Promise<Channel> {
  const parsed = editSchema.safeParse(edit);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelInputError(issue.message, String(issue.path[0] ?? ""));
  }
  const typed = parsed.data;
  return sql.begin(async (tx) => {
    const current = await getChannel(tx, id);
    const gatewayUrl = typed.gatewayUrl === undefined ? current.gatewayUrl : canonicalGatewayUrlOrThrow(typed.gatewayUrl);
    const instanceName = typed.instanceName ?? current.instanceName;
    const moved = !keyStaysBound(current, { gatewayUrl, instanceName });
    if (moved && !typed.apiKey) {
      throw new ChannelInputError(
        "changing --url or --instance requires --api-key: a stored key is only sent to the gateway and instance it was entered for",
        "apiKey",
      );
    }
    if (moved) {
      const existing = await findChannelAt(tx, gatewayUrl, instanceName);
      if (existing && existing.id !== id) throw new ChannelExistsError(existing);
    }
    const gateway = keyStaysBound(current, { gatewayUrl, instanceName: current.instanceName })
      ? undefined
      : await findOrCreateTenantGateway(tx, { tenantId: current.tenantId, provider: current.provider, baseUrl: gatewayUrl });
    await updateChannel(tx, id, {
      displayName: typed.displayName ?? current.displayName,
      phoneNumber: typed.phoneNumber === undefined ? current.phoneNumber : typed.phoneNumber,
      instanceName,
      gatewayId: gateway?.id,
      apiKeyCiphertext: typed.apiKey ? encryptSecret(typed.apiKey, secretKey) : undefined,
    });
    return getChannel(tx, id);
  }) as Promise<Channel>;
}
