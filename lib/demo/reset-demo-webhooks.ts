import type { Sql } from "@/lib/db/client";
import { canonicalGatewayUrlOrThrow } from "@/lib/channels/create-channel";
import { demoCloudApiNumbers, demoInstances, demoWahaSessions, demoZapiInstances, type DemoGatewayUrls } from "@/lib/demo/seed-demo";

/**
 * The demo's simulators start empty on every run, so what their instances' webhooks were last time is
 * gone: every demo channel's webhook is read again on the first pass, and the channels whose instance
 * starts with the platform's webhook give their adopted downstream back (it pointed at the previous
 * run's stand-in platform), so Sentinela adopts this run's platform webhook again, as on a live fleet.
 * Only demo channels on the demo's simulator URLs are touched.
 */
export async function resetDemoWebhooks(
  sql: Sql,
  urls: Pick<DemoGatewayUrls, "gatewayUrl"> & Partial<DemoGatewayUrls>,
): Promise<{ readopted: number }> {
  const url = canonicalGatewayUrlOrThrow(urls.gatewayUrl);
  const all = demoInstances();
  const platform = all.filter((instance) => instance.platformWebhook).map((instance) => instance.instanceName);
  // The other simulators start empty too: WAHA sessions and Z-API instances have no webhook, and Graph
  // no app subscription, until the first pass reads (and installs) Sentinela's.
  const others: [string | undefined, string[]][] = [
    [urls.wahaUrl, demoWahaSessions().map((session) => session.sessionName)],
    [urls.zapiUrl, demoZapiInstances().map((instance) => instance.id)],
    [urls.cloudApiUrl, demoCloudApiNumbers().map((number) => number.id)],
  ];
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
    for (const [otherUrl, names] of others) {
      if (!otherUrl) continue;
      await tx`
        update public.channel_status s set webhook_checked_at = null
        from public.channels c
        where c.id = s.channel_id and c.gateway_url = ${canonicalGatewayUrlOrThrow(otherUrl)} and c.instance_name = any(${names}::text[])
      `;
    }
    return { readopted: readopted.length };
  });
}
