import type { Db } from "@/lib/db/client";
import type { ProviderKind } from "@/lib/providers/types";

/**
 * Gateways: one row per canonical base URL, owner (a tenant, or null for platform staff) and kind. A channel
 * references one; its stored key is bound to that gateway and instance by the database itself (see
 * supabase/migrations/20261201000100_gateways.sql), so nothing here decides where a key may go.
 */

export interface GatewayRef {
  id: string;
  baseUrl: string;
}

/**
 * The tenant's own gateway of this kind for a canonical URL (lib/net/canonical-origin.ts), created when missing.
 * Works as the service path and inside a tenant admin's transaction (RLS lets admins write their
 * tenant's gateways). `baseUrl` must already be canonical: the database refuses anything else.
 */
export async function findOrCreateTenantGateway(
  db: Db,
  input: { tenantId: string; provider: ProviderKind; baseUrl: string },
): Promise<GatewayRef> {
  const [row] = await db<GatewayRef[]>`
    insert into public.gateways as g (provider, base_url, name, owner_tenant_id)
    values (${input.provider}, ${input.baseUrl}, ${gatewayNameOf(input.baseUrl)}, ${input.tenantId})
    on conflict (base_url, owner_tenant_id, provider) do update set updated_at = g.updated_at
    returning g.id, g.base_url as "baseUrl"
  `;
  return row;
}

/** host[:port] and path: what a person recognizes a gateway by until someone names it. */
export function gatewayNameOf(baseUrl: string): string {
  return baseUrl.replace(/^[a-z]+:\/\//, "").slice(0, 120);
}
