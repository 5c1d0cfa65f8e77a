import { ChannelExistsError, ChannelInputError, canonicalGatewayUrlOrThrow } from "@/lib/channels/create-channel";
import { channelInputSchema } from "@/lib/channels/channel-input";
import { keyStaysBound } from "@/lib/channels/key-binding";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Sql } from "@/lib/db/client";
import { findChannelAt, getChannel, updateChannel, type Channel } from "@/lib/db/channels";
import { findOrCreateTenantGateway } from "@/lib/db/gateways";
import { credentialProblems, PROVIDER_TRAITS } from "@/lib/providers/traits";

/** What `channel edit` may change; anything absent stays as it is. Null phone: remove it. */
export interface ChannelEdit {
  provider?: string;
  gatewayUrl?: string;
  instanceName?: string;
  apiKey?: string;
  clientToken?: string;
  wabaId?: string;
  appSecret?: string;
  displayName?: string;
  phoneNumber?: string | null;
}

const editSchema = channelInputSchema.pick({
  provider: true, gatewayUrl: true, instanceName: true, apiKey: true, clientToken: true, wabaId: true, appSecret: true,
  displayName: true, phoneNumber: true,
}).partial();

/**
 * The service path's edit (the CLI): the same rules as a tenant admin's form. Moving the channel to
 * another gateway URL, instance or kind needs its key again (and its client token, for a kind that has
 * one), since a stored secret is only ever sent to where it was entered for (the database clears them
 * on a move, and the new ones are written after the move). The credentials must be the new kind's
 * (lib/providers/traits.ts): a flag the kind does not take, or one it needs missing, is refused.
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
    const provider = typed.provider ?? current.provider;
    const gatewayUrl = typed.gatewayUrl === undefined ? current.gatewayUrl : canonicalGatewayUrlOrThrow(typed.gatewayUrl);
    const instanceName = typed.instanceName ?? current.instanceName;
    const moved = !keyStaysBound(current, { gatewayUrl, instanceName, provider });
    if (moved && !typed.apiKey) {
      throw new ChannelInputError(
        "changing --url, --instance or --provider requires --api-key: a stored key is only sent to the gateway and instance it was entered for",
        "apiKey",
      );
    }
    const [secrets] = await tx<{ hasClientToken: boolean }[]>`
      select client_token_ciphertext is not null as "hasClientToken" from public.channel_secrets where channel_id = ${id}
    `;
    // What the channel will hold once edited: a move drops the stored client token, a new kind its WABA id.
    const clientToken = typed.clientToken ?? (!moved && secrets?.hasClientToken ? "stored" : null);
    const wabaId = typed.wabaId ?? (provider === current.provider ? current.wabaId : null);
    const [problem] = credentialProblems(provider, { clientToken, wabaId, appSecret: typed.appSecret });
    if (problem) throw new ChannelInputError(problem.message, problem.field);

    if (moved) {
      const existing = await findChannelAt(tx, gatewayUrl, instanceName);
      if (existing && existing.id !== id) throw new ChannelExistsError(existing);
    }
    const gateway = keyStaysBound(current, { gatewayUrl, instanceName: current.instanceName, provider })
      ? undefined
      : await findOrCreateTenantGateway(tx, { tenantId: current.tenantId, provider, baseUrl: gatewayUrl });
    await updateChannel(tx, id, {
      displayName: typed.displayName ?? current.displayName,
      phoneNumber: typed.phoneNumber === undefined ? current.phoneNumber : typed.phoneNumber,
      instanceName,
      gatewayId: gateway?.id,
      ...(provider !== current.provider ? { provider } : {}),
      wabaId,
      apiKeyCiphertext: typed.apiKey ? encryptSecret(typed.apiKey, secretKey) : undefined,
      clientTokenCiphertext: typed.clientToken ? encryptSecret(typed.clientToken, secretKey) : undefined,
      // A kind that takes no app secret keeps none (the Cloud API's, once the channel leaves it).
      appSecretCiphertext: typed.appSecret
        ? encryptSecret(typed.appSecret, secretKey)
        : PROVIDER_TRAITS[provider].appSecret ? undefined : null,
    });
    return getChannel(tx, id);
  }) as Promise<Channel>;
}
