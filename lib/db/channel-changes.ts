import type { Db } from "@/lib/db/client";

/**
 * A fingerprint of one tenant's channel statuses: it changes whenever the monitor, a webhook or a
 * person changes any of them (every status write sets updated_at), and when a pass checks them (the
 * schedule's last check; a check that changes nothing writes only that). Pages poll it cheaply and
 * re-render only when it moves. Read through RLS: another tenant's id gives the empty fingerprint.
 */
export async function channelStatusVersion(db: Db, tenantId: string): Promise<string> {
  const [row] = await db<{ version: string }[]>`
    select coalesce(max(s.updated_at)::text, '-') || '|' || count(*)::text
      || '|' || coalesce(max(c.updated_at)::text, '-') || '|' || coalesce(max(k.last_checked_at)::text, '-') as version
    from public.channel_state s join public.channels c on c.id = s.channel_id
    left join public.channel_schedule k on k.channel_id = s.channel_id
    where s.tenant_id = ${tenantId}
  `;
  return row.version;
}
