import type { SenderChannel } from "@/lib/alerts/send-whatsapp";
import { loadChannelTarget } from "@/lib/channels/channel-target";
import type { Db } from "@/lib/db/client";
import type { ProviderKind } from "@/lib/providers/types";

/**
 * The tenant's WhatsApp alert sender (tenants.alert_sender_channel_id) as the WhatsApp sender needs it:
 * its state as the monitor last recorded it and its gateway key opened. Service path only (the key).
 * Read at send time, so a sender an admin just chose is used by the next attempt.
 */
export async function loadAlertSenderChannel(db: Db, tenantId: string, secretKey: string): Promise<SenderChannel | null> {
  const [row] = await db<{ channelId: string; name: string; provider: ProviderKind; state: string; enabled: boolean }[]>`
    select c.id as "channelId", c.display_name as name, c.provider, coalesce(s.state, 'unknown') as state,
      c.monitoring_enabled as enabled
    from public.tenants t
    join public.channels c on c.id = t.alert_sender_channel_id
    left join public.channel_status s on s.channel_id = c.id
    where t.id = ${tenantId}
  `;
  if (!row) return null;
  const { target } = await loadChannelTarget(db, row.channelId, secretKey);
  return { channelId: row.channelId, name: row.name, provider: row.provider, state: row.enabled ? row.state : "paused", target };
}

/** Sets (or clears, with null) the tenant's alert sender; the database refuses a channel of another tenant. */
export async function setAlertSenderChannel(db: Db, tenantId: string, channelId: string | null): Promise<boolean> {
  const updated = await db`update public.tenants set alert_sender_channel_id = ${channelId} where id = ${tenantId}`;
  return updated.count > 0;
}
