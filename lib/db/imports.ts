import type { Db } from "@/lib/db/client";
import { gatewayNameOf, type GatewayRef } from "@/lib/db/gateways";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import type { ProviderKind } from "@/lib/providers/types";

/**
 * What an import writes: its gateway with the global key, and the channels it adds. Each works on the
 * service path and inside a tenant admin's transaction (RLS decides there); the statements are the same,
 * except for the status rows (see insertImportedChannels).
 */

/** Channels on this canonical gateway URL that `db` can see: instance name → channel id. */
export async function channelsAtGateway(db: Db, gatewayUrl: string): Promise<Map<string, string>> {
  const rows = await db<{ instanceName: string; id: string }[]>`
    select instance_name as "instanceName", id from public.channels where gateway_url = ${gatewayUrl}
  `;
  return new Map(rows.map((row) => [row.instanceName, row.id]));
}

/**
 * The gateway row for this URL and owner (null: the platform's), created when missing, with its global
 * key replaced by the one just used to list it. `baseUrl` must be canonical: the database refuses
 * anything else, and binds the key to that URL (moving the gateway clears it).
 */
export async function recordGatewayKey(
  db: Db,
  input: { provider: ProviderKind; baseUrl: string; ownerTenantId: string | null; globalKeyCiphertext: string },
): Promise<GatewayRef> {
  // The sealed key is passed twice rather than read back from `excluded`: a tenant admin may write the
  // column but never read it.
  const [row] = await db<GatewayRef[]>`
    insert into public.gateways as g (provider, base_url, name, owner_tenant_id, global_key_ciphertext)
    values (${input.provider}, ${input.baseUrl}, ${gatewayNameOf(input.baseUrl)}, ${input.ownerTenantId},
      ${input.globalKeyCiphertext})
    on conflict (base_url, owner_tenant_id, provider) do update
      set global_key_ciphertext = ${input.globalKeyCiphertext}, updated_at = now()
    returning g.id, g.base_url as "baseUrl"
  `;
  return row;
}

export interface ImportedChannel {
  tenantId: string;
  instanceName: string;
  displayName: string;
  phoneNumber: string | null;
  /** Sealed instance token; null when the channel uses its gateway's global key. */
  apiKeyCiphertext: string | null;
  /** Only the service path may set it (the database refuses it from users). */
  usesGatewayKey: boolean;
  /** Cloud API: the WhatsApp Business Account the number belongs to; null for every other kind. */
  wabaId: string | null;
  webhookSecretCiphertext: string;
}

/**
 * Adds the channels, their secrets and status rows in three statements whatever their number. An
 * instance that is already a channel on this gateway (of any tenant, even one the caller cannot see) is
 * skipped, not an error: imports are idempotent and may race. Returns instance name → new channel id.
 * `as`: the service path writes status rows itself; a tenant admin goes through init_channel_status,
 * which checks they administer each channel's tenant.
 */
export async function insertImportedChannels(
  db: Db,
  gateway: GatewayRef & { provider: ProviderKind },
  channels: readonly ImportedChannel[],
  as: "service" | "tenant_admin",
): Promise<Map<string, string>> {
  if (channels.length === 0) return new Map();
  const added = await db<{ id: string; instanceName: string }[]>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(channels)}::text::jsonb) as i(
        "tenantId" uuid, "instanceName" text, "displayName" text, "phoneNumber" text, "apiKeyCiphertext" text,
        "usesGatewayKey" boolean, "wabaId" text, "webhookSecretCiphertext" text)
    ), c as (
      insert into public.channels
        (tenant_id, provider, display_name, phone_number, gateway_id, gateway_url, instance_name, uses_gateway_key,
          waba_id, webhook_events)
      select i."tenantId", ${gateway.provider}, i."displayName", i."phoneNumber", ${gateway.id}, ${gateway.baseUrl},
        i."instanceName", i."usesGatewayKey", i."wabaId", ${[...PROVIDER_TRAITS[gateway.provider].webhookEvents]}::text[]
      from input i
      on conflict (gateway_url, instance_name) do nothing
      returning id, tenant_id, instance_name
    ), s as (
      insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext, webhook_secret_ciphertext)
      select c.id, c.tenant_id, i."apiKeyCiphertext", i."webhookSecretCiphertext"
      from c join input i on i."instanceName" = c.instance_name
    )
    select id, instance_name as "instanceName" from c
  `;
  const ids = added.map((row) => row.id);
  if (ids.length > 0 && as === "service") {
    await db`
      insert into public.channel_state (channel_id, tenant_id)
      select c.id, c.tenant_id from public.channels c where c.id = any(${ids}::uuid[])
      on conflict (channel_id) do nothing
    `;
  } else if (ids.length > 0) {
    await db`select public.init_channel_status(id) from unnest(${ids}::uuid[]) as t(id)`;
  }
  return new Map(added.map((row) => [row.instanceName, row.id]));
}
