import { randomBytes } from "node:crypto";
import type { ChannelActionDeps, Refusal } from "@/lib/channels/action-deps";
import { readChannelAccess } from "@/lib/channels/channel-access";
import { validateChannelForm, type FieldErrors } from "@/lib/channels/channel-form";
import { checkChannelNow } from "@/lib/channels/check-now";
import type { DownstreamFormValues } from "@/lib/channels/downstream-form";
import { applyDownstreamEdit, currentDownstream, downstreamEditOf, DownstreamEditError } from "@/lib/channels/set-downstream";
import { vetGatewayUrl } from "@/lib/channels/vet-gateway-url";
import { keyStaysBound } from "@/lib/channels/key-binding";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { updateChannel } from "@/lib/db/channels";
import { findOrCreateTenantGateway } from "@/lib/db/gateways";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import { canonicalGatewayUrl } from "@/lib/net/canonical-origin";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import type { ProviderKind } from "@/lib/providers/types";

/**
 * Adding, editing and removing channels as a tenant admin. Every write runs as the user, so RLS is
 * what allows it; the API key is sealed here and written to channel_secrets, whose ciphertext the user
 * may write but never read back. Gateway URLs are stored canonical, and the channel references its
 * tenant's own gateway row for that URL (created here when missing).
 */

type Invalid = { status: "invalid"; errors: FieldErrors };

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

const TAKEN: Invalid = { status: "invalid", errors: { instanceName: "instanceName.taken" } };
const BAD_URL: Invalid = { status: "invalid", errors: { gatewayUrl: "gatewayUrl.invalid" } };
/** A stored key is only ever sent to the gateway URL and instance it was entered for. */
const RETYPE_KEY: Invalid = { status: "invalid", errors: { apiKey: "apiKey.retypeForNewGateway" } };

export async function createChannelAsAdmin(
  deps: ChannelActionDeps,
  claims: VerifiedClaims,
  tenantId: string,
  input: unknown,
  downstream?: DownstreamFormValues,
): Promise<Refusal | Invalid | { status: "created"; id: string }> {
  const valid = validateChannelForm(input, "create");
  if (!valid.ok) return { status: "invalid", errors: valid.errors };
  const { provider, gatewayUrl, instanceName, apiKey, clientToken, wabaId, appSecret, displayName, phoneNumber } = valid.value;
  if (!apiKey) return { status: "invalid", errors: { apiKey: "apiKey.required" } };
  const canonical = canonicalGatewayUrl(gatewayUrl);
  if (!canonical.ok) return BAD_URL;
  const refused = await vetGatewayUrl(gatewayUrl);
  if (refused) return { status: "invalid", errors: refused };
  try {
    const created = await runAsUser(deps.sql, claims, async (tx): Promise<Refusal | { status: "created"; id: string }> => {
      const [{ admin }] = await tx<{ admin: boolean }[]>`select public.is_tenant_admin(${tenantId}) as admin`;
      if (!admin) return { status: "forbidden" };
      const gateway = await findOrCreateTenantGateway(tx, { tenantId, provider, baseUrl: canonical.url });
      const [channel] = await tx<{ id: string }[]>`
        insert into public.channels
          (tenant_id, provider, display_name, phone_number, gateway_id, gateway_url, instance_name, waba_id, webhook_events)
        values (${tenantId}, ${provider}, ${displayName}, ${phoneNumber ?? null}, ${gateway.id}, ${gateway.baseUrl},
          ${instanceName}, ${wabaId ?? null}, ${[...PROVIDER_TRAITS[provider].webhookEvents]}::text[])
        returning id
      `;
      await tx`
        insert into public.channel_secrets
          (channel_id, tenant_id, api_key_ciphertext, client_token_ciphertext, app_secret_ciphertext, webhook_secret_ciphertext)
        values (${channel.id}, ${tenantId}, ${encryptSecret(apiKey, deps.secretKey)},
          ${clientToken ? encryptSecret(clientToken, deps.secretKey) : null},
          ${appSecret ? encryptSecret(appSecret, deps.secretKey) : null},
          ${encryptSecret(randomBytes(24).toString("base64url"), deps.secretKey)})
      `;
      await tx`select public.init_channel_status(${channel.id})`;
      if (downstream) await applyDownstreamEdit(tx, channel.id, null, downstreamEditOf(downstream), deps.secretKey);
      return { status: "created", id: channel.id };
    });
    if (created.status === "created") await checkChannelNow(deps, created.id);
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) return TAKEN;
    if (error instanceof DownstreamEditError) return { status: "invalid", errors: { [error.field]: error.key } };
    throw error;
  }
}

export async function updateChannelAsAdmin(
  deps: ChannelActionDeps,
  claims: VerifiedClaims,
  channelId: string,
  input: unknown,
  downstream?: DownstreamFormValues,
): Promise<Refusal | Invalid | { status: "updated" }> {
  const valid = validateChannelForm(input, "edit");
  if (!valid.ok) return { status: "invalid", errors: valid.errors };
  const { provider, gatewayUrl, instanceName, apiKey, clientToken, wabaId, appSecret, displayName, phoneNumber } = valid.value;
  const refused = await vetGatewayUrl(gatewayUrl);
  if (refused) return { status: "invalid", errors: refused };
  const canonical = canonicalGatewayUrl(gatewayUrl);
  if (!canonical.ok) return BAD_URL;
  // Opened on the service path before the user's transaction (PGlite serves one connection at a time),
  // and used only once that transaction has shown the caller administers the channel.
  const stored = downstream ? await currentDownstream(deps.sql, channelId, deps.secretKey) : null;
  const tokenStored = PROVIDER_TRAITS[provider].credentials.clientToken && !clientToken && (await hasClientToken(deps.sql, channelId));
  try {
    const result = await runAsUser(deps.sql, claims, async (tx) => {
      const access = await readChannelAccess(tx, channelId);
      if (!access) return { status: "not_found" as const };
      if (!access.admin) return { status: "forbidden" as const };
      const [before] = await tx<{ gatewayUrl: string; instanceName: string; provider: ProviderKind }[]>`
        select gateway_url as "gatewayUrl", instance_name as "instanceName", provider from public.channels where id = ${channelId}
      `;
      const moved = !keyStaysBound(before, { gatewayUrl: canonical.url, instanceName, provider });
      if (moved && !apiKey) return RETYPE_KEY;
      // A kind that needs a client token keeps the stored one only where the channel stays.
      if (PROVIDER_TRAITS[provider].credentials.clientToken && !clientToken && (moved || !tokenStored)) {
        return { status: "invalid" as const, errors: { clientToken: moved ? "clientToken.retypeForNewGateway" : "clientToken.required" } };
      }
      const gateway = keyStaysBound(before, { gatewayUrl: canonical.url, instanceName: before.instanceName, provider })
        ? undefined
        : await findOrCreateTenantGateway(tx, { tenantId: access.tenantId, provider, baseUrl: canonical.url });
      // Moving the channel clears its stored secrets in the database; the new ones are written after the move.
      await updateChannel(tx, channelId, {
        displayName, phoneNumber: phoneNumber ?? null, instanceName, gatewayId: gateway?.id,
        ...(provider !== before.provider ? { provider } : {}),
        wabaId: wabaId ?? null,
        apiKeyCiphertext: apiKey ? encryptSecret(apiKey, deps.secretKey) : undefined,
        clientTokenCiphertext: clientToken ? encryptSecret(clientToken, deps.secretKey) : undefined,
        // Blank keeps the stored app secret; a kind that takes none keeps none.
        appSecretCiphertext: appSecret ? encryptSecret(appSecret, deps.secretKey) : PROVIDER_TRAITS[provider].appSecret ? undefined : null,
      });
      if (downstream) await applyDownstreamEdit(tx, channelId, stored, downstreamEditOf(downstream), deps.secretKey);
      return { status: "updated" as const, recheck: moved || Boolean(apiKey) || Boolean(clientToken) };
    });
    if (result.status !== "updated") return result;
    // A new gateway, instance or key makes the stored state stale: look again now.
    if (result.recheck) await checkChannelNow(deps, channelId);
    return { status: "updated" };
  } catch (error) {
    if (isUniqueViolation(error)) return TAKEN;
    if (error instanceof DownstreamEditError) return { status: "invalid", errors: { [error.field]: error.key } };
    throw error;
  }
}

/** Whether a client token is stored: the service path's question (an admin may write one, never probe it). */
async function hasClientToken(sql: ChannelActionDeps["sql"], channelId: string): Promise<boolean> {
  const rows = await sql`
    select 1 from public.channel_secrets where channel_id = ${channelId} and client_token_ciphertext is not null
  `;
  return rows.length > 0;
}

export async function removeChannelAsAdmin(
  deps: ChannelActionDeps,
  claims: VerifiedClaims,
  channelId: string,
): Promise<Refusal | { status: "removed" }> {
  return runAsUser(deps.sql, claims, async (tx) => {
    const access = await readChannelAccess(tx, channelId);
    if (!access) return { status: "not_found" as const };
    if (!access.admin) return { status: "forbidden" as const };
    const deleted = await tx`delete from public.channels where id = ${channelId} returning id`;
    return deleted.length === 1 ? { status: "removed" as const } : { status: "forbidden" as const };
  });
}
