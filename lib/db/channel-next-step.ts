import { adminDisplayName, type GatewayFacts } from "@/lib/channels/next-step";
import type { Db } from "@/lib/db/client";

/**
 * The facts the channel page's next step needs beyond the channel row, read as the signed-in user
 * (call inside withUser): RLS decides, so a gateway the viewer may not read is simply null.
 */
export interface NextStepFacts {
  nextReconnectAt: Date | null;
  downSince: Date | null;
  stateSince: Date | null;
  gateway: GatewayFacts | null;
  /** Display names of the tenant's admins, for "ask Bruno Lima (admin)". */
  admins: string[];
}

export async function loadNextStepFacts(db: Db, channel: { id: string; tenantId: string }): Promise<NextStepFacts> {
  const [row] = await db<{
    nextReconnectAt: Date | null; downSince: Date | null; stateSince: Date | null; name: string | null; operator: string | null;
    platformRun: boolean | null; tenantChannels: number | null; tenantChannelsDown: number | null;
  }[]>`
    select s.next_reconnect_at as "nextReconnectAt", s.down_since as "downSince", s.since as "stateSince", g.name, g.operator,
      g.owner_tenant_id is null as "platformRun",
      (select count(*)::int from public.channels o where o.gateway_id = c.gateway_id and o.tenant_id = c.tenant_id) as "tenantChannels",
      (select count(*)::int from public.channels o join public.channel_status os on os.channel_id = o.id
        where o.gateway_id = c.gateway_id and o.tenant_id = c.tenant_id and os.state = 'provider_down') as "tenantChannelsDown"
    from public.channels c
    left join public.channel_status s on s.channel_id = c.id
    left join public.gateways g on g.id = c.gateway_id
    where c.id = ${channel.id}
  `;
  const admins = await db<{ email: string | null; name: string | null }[]>`
    select email, name from public.tenant_admin_names(${channel.tenantId})
  `;
  return {
    nextReconnectAt: row?.nextReconnectAt ?? null,
    downSince: row?.downSince ?? null,
    stateSince: row?.stateSince ?? null,
    gateway: row && row.name !== null ? {
      name: row.name, operator: row.operator, platformRun: row.platformRun === true,
      tenantChannels: row.tenantChannels ?? 1, tenantChannelsDown: row.tenantChannelsDown ?? 0,
    } : null,
    admins: admins.map(adminDisplayName),
  };
}
