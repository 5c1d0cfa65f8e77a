import type { Tx } from "@/lib/db/client";

export interface ChannelAccess {
  channelId: string;
  tenantId: string;
  /** Whether the signed-in user administers the channel's tenant (the same test RLS applies to writes). */
  admin: boolean;
}

/**
 * The channel as the signed-in user sees it: null when RLS hides it (another tenant's channel, or no
 * such id), so callers answer "not found" and never reveal that it exists. Must run inside withUser.
 */
export async function readChannelAccess(tx: Tx, channelId: string): Promise<ChannelAccess | null> {
  const [row] = await tx<ChannelAccess[]>`
    select c.id as "channelId", c.tenant_id as "tenantId", public.is_tenant_admin(c.tenant_id) as admin
    from public.channels c where c.id = ${channelId}
  `;
  return row ?? null;
}
