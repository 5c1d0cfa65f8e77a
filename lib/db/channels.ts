import type { Db } from "@/lib/db/client";
import { findOrCreateTenantGateway } from "@/lib/db/gateways";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import type { ProviderKind } from "@/lib/providers/types";

export interface Channel {
  id: string;
  tenantId: string;
  provider: ProviderKind;
  displayName: string;
  phoneNumber: string | null;
  gatewayUrl: string;
  instanceName: string;
  /** Cloud API: the WhatsApp Business Account id (not a secret); null for every other kind. */
  wabaId: string | null;
  monitoringEnabled: boolean;
  checkIntervalSeconds: number;
  webhookEnabled: boolean;
  webhookEvents: string[];
  webhookDownstreamUrl: string | null;
  silenceThresholdSeconds: number | null;
}

export interface NewChannel {
  tenantId: string;
  provider: ProviderKind;
  displayName: string;
  phoneNumber?: string | null;
  /** Canonical (lib/net/canonical-origin.ts): the channel gets the tenant's own gateway for it. */
  gatewayUrl: string;
  instanceName: string;
  /** Already sealed with the channel secret key: this module never sees a plaintext key. */
  apiKeyCiphertext: string;
  /** Sealed too (Z-API's Client-Token); null for kinds without one. */
  clientTokenCiphertext?: string | null;
  wabaId?: string | null;
  /** Sealed too (the Cloud API's app secret, verifying deliveries); null when not given. */
  appSecretCiphertext?: string | null;
  webhookSecretCiphertext: string;
  checkIntervalSeconds?: number;
}

export class ChannelNotFoundError extends Error {
  constructor(id: string) {
    super(`No channel with id "${id}"`);
    this.name = "ChannelNotFoundError";
  }
}

const columns = (db: Db) => db`
  c.id, c.tenant_id as "tenantId", c.provider, c.display_name as "displayName",
  c.phone_number as "phoneNumber", c.gateway_url as "gatewayUrl", c.instance_name as "instanceName",
  c.waba_id as "wabaId", c.monitoring_enabled as "monitoringEnabled", c.check_interval_seconds as "checkIntervalSeconds",
  c.webhook_enabled as "webhookEnabled", c.webhook_events as "webhookEvents",
  c.webhook_downstream_url as "webhookDownstreamUrl", c.silence_threshold_seconds as "silenceThresholdSeconds"
`;

/**
 * Channel, secret and status row in one statement, so a channel never exists half-made. Its gateway
 * comes first, on its own: a gateway without channels is whole.
 */
export async function insertChannel(db: Db, input: NewChannel): Promise<Channel> {
  const gateway = await findOrCreateTenantGateway(db, {
    tenantId: input.tenantId, provider: input.provider, baseUrl: input.gatewayUrl,
  });
  const [row] = await db<Channel[]>`
    with c as (
      insert into public.channels
        (tenant_id, provider, display_name, phone_number, gateway_id, gateway_url, instance_name, waba_id,
          check_interval_seconds, webhook_events)
      values (${input.tenantId}, ${input.provider}, ${input.displayName}, ${input.phoneNumber ?? null},
        ${gateway.id}, ${gateway.baseUrl}, ${input.instanceName}, ${input.wabaId ?? null}, ${input.checkIntervalSeconds ?? 30},
        ${[...PROVIDER_TRAITS[input.provider].webhookEvents]}::text[])
      returning *
    ), s as (
      insert into public.channel_secrets
        (channel_id, tenant_id, api_key_ciphertext, client_token_ciphertext, app_secret_ciphertext, webhook_secret_ciphertext)
      select id, tenant_id, ${input.apiKeyCiphertext}, ${input.clientTokenCiphertext ?? null}, ${input.appSecretCiphertext ?? null},
        ${input.webhookSecretCiphertext} from c
    ), st as (
      insert into public.channel_state (channel_id, tenant_id) select id, tenant_id from c
    )
    select ${columns(db)} from c
  `;
  return row;
}

/** The channel on this gateway instance, whichever tenant it belongs to (URL canonical). */
export async function findChannelAt(
  db: Db,
  gatewayUrl: string,
  instanceName: string,
): Promise<{ id: string; displayName: string } | null> {
  const [row] = await db<{ id: string; displayName: string }[]>`
    select id, display_name as "displayName" from public.channels
    where gateway_url = ${gatewayUrl} and instance_name = ${instanceName}
  `;
  return row ?? null;
}

export interface ChannelChanges {
  displayName: string;
  phoneNumber: string | null;
  instanceName: string;
  /** Absent: the channel stays on its gateway. */
  gatewayId?: string;
  /** A new kind (with `gatewayId`, a gateway of that kind): its own webhook events come with it. */
  provider?: ProviderKind;
  /** Absent: unchanged. */
  wabaId?: string | null;
  /** Sealed. Absent: the stored key is kept, unless the move clears it (see the gateways migration). */
  apiKeyCiphertext?: string;
  /** Sealed. Absent: kept, unless the move clears it; null: removed. */
  clientTokenCiphertext?: string | null;
  /** Sealed. Absent: kept (a move does not clear it: it is never sent anywhere); null: removed. */
  appSecretCiphertext?: string | null;
}

/**
 * Edits a channel, then stores its new key. In that order: moving a channel to another gateway or
 * instance clears its stored key in the database, and the key written after the move is the one bound
 * to the new place.
 */
export async function updateChannel(db: Db, id: string, changes: ChannelChanges): Promise<void> {
  const kind = changes.provider
    ? db`, provider = ${changes.provider}, webhook_events = ${[...PROVIDER_TRAITS[changes.provider].webhookEvents]}::text[]`
    : db``;
  const rows = await db`
    update public.channels set display_name = ${changes.displayName}, phone_number = ${changes.phoneNumber},
      instance_name = ${changes.instanceName},
      gateway_id = ${changes.gatewayId ? db`${changes.gatewayId}::uuid` : db`gateway_id`},
      waba_id = ${changes.wabaId === undefined ? db`waba_id` : changes.wabaId}${kind}, updated_at = now()
    where id = ${id}
    returning id
  `;
  if (rows.length === 0) throw new ChannelNotFoundError(id);
  if (changes.apiKeyCiphertext) {
    await db`
      update public.channel_secrets set api_key_ciphertext = ${changes.apiKeyCiphertext}, updated_at = now()
      where channel_id = ${id}
    `;
  }
  if (changes.clientTokenCiphertext !== undefined) {
    await db`
      update public.channel_secrets set client_token_ciphertext = ${changes.clientTokenCiphertext}, updated_at = now()
      where channel_id = ${id}
    `;
  }
  if (changes.appSecretCiphertext !== undefined) {
    await db`
      update public.channel_secrets set app_secret_ciphertext = ${changes.appSecretCiphertext}, updated_at = now()
      where channel_id = ${id}
    `;
  }
}

export interface ChannelListing extends Channel {
  tenantSlug: string;
  tenantName: string;
  state: string;
  since: Date;
  lastCheckedAt: Date | null;
}

export async function listChannels(db: Db, filter: { tenantId?: string } = {}): Promise<ChannelListing[]> {
  return db<ChannelListing[]>`
    select ${columns(db)}, t.slug as "tenantSlug", t.name as "tenantName",
      coalesce(s.state, 'unknown') as state, s.since, s.last_checked_at as "lastCheckedAt"
    from public.channels c
    join public.tenants t on t.id = c.tenant_id
    left join public.channel_status s on s.channel_id = c.id
    where ${filter.tenantId ? db`c.tenant_id = ${filter.tenantId}` : db`true`}
    order by t.name, c.display_name
  `;
}

export async function getChannel(db: Db, id: string): Promise<Channel> {
  const [row] = await db<Channel[]>`select ${columns(db)} from public.channels c where c.id = ${id}`;
  if (!row) throw new ChannelNotFoundError(id);
  return row;
}

export async function removeChannel(db: Db, id: string): Promise<void> {
  const rows = await db`delete from public.channels where id = ${id} returning id`;
  if (rows.length === 0) throw new ChannelNotFoundError(id);
}

export async function setMonitoringEnabled(db: Db, id: string, enabled: boolean): Promise<void> {
  const rows = await db`
    update public.channels set monitoring_enabled = ${enabled}, updated_at = now() where id = ${id} returning id
  `;
  if (rows.length === 0) throw new ChannelNotFoundError(id);
}
