import type { Sql } from "@/lib/db/client";
import { canonicalGatewayUrlOrThrow } from "@/lib/channels/create-channel";
import { demoInstances, demoWahaSessions } from "@/lib/demo/seed-demo";

/**
 * The demo's simulator starts empty on every run, so what its instances' webhooks were last time is
 * gone: every demo channel's webhook is read again on the first pass, and the channels whose instance
 * starts with the platform's webhook give their adopted downstream back (it pointed at the previous
 * run's stand-in platform), so Sentinela adopts this run's platform webhook again, as on a live fleet.
 * Only demo channels on the demo's simulator URL are touched.
 */
export async function resetDemoWebhooks(sql: Sql, gatewayUrl: string, wahaUrl?: string): Promise<{ readopted: number }> {
  const url = canonicalGatewayUrlOrThrow(gatewayUrl);
  const all = demoInstances();
  const sessions = demoWahaSessions().map((session) => session.sessionName);
  const platform = all.filter((instance) => instance.platformWebhook).map((instance) => instance.instanceName);
  return sql.begin(async (tx) => {
    const readopted = await tx`
      update public.channels set webhook_downstream_url = null, webhook_adopted_at = null, webhook_mode = 'adopt', updated_at = now()
      where gateway_url = ${url} and instance_name = any(${platform}::text[])
      returning id
    `;
    await tx`delete from public.webhook_forwards where channel_id = any(${readopted.map((row) => row.id)}::uuid[])`;
    await tx`
      update public.channel_status s set webhook_checked_at = null
      from public.channels c
      where c.id = s.channel_id and c.gateway_url = ${url} and c.instance_name = any(${all.map((i) => i.instanceName)}::text[])
    `;
    // The WAHA simulator starts empty too: its sessions have no webhook until the first pass installs ours.
    if (wahaUrl) {
      await tx`
        update public.channel_status s set webhook_checked_at = null
        from public.channels c
        where c.id = s.channel_id and c.gateway_url = ${canonicalGatewayUrlOrThrow(wahaUrl)} and c.instance_name = any(${sessions}::text[])
      `;
    }
    return { readopted: readopted.length };
  });
}
