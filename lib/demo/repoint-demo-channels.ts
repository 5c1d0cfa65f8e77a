import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Sql } from "@/lib/db/client";
import { DEMO_TENANTS } from "@/lib/demo/demo-data";
import {
  DEMO_ZAPI_CLIENT_TOKEN,
  demoApiKey,
  demoChannelInstanceName,
  demoGatewayUrlOf,
  type DemoGatewayUrls,
} from "@/lib/demo/seed-demo";

/**
 * When the demo's simulator had to move to another port, its channels in `.data/` still point at the
 * old one. This moves every demo channel that points at another loopback simulator URL to `gatewayUrl`
 * and stores its demo key again (a key stays bound to the URL it was entered for, so moving a channel
 * clears it), so a second run finds its 25 channels where it left them, history and all, instead of
 * seeding 25 more beside 25 unreachable ones. Only demo tenants' channels with demo instance names on
 * http://127.0.0.1 are touched; a channel already at the new URL wins over an old copy.
 */
export async function repointDemoChannels(
  sql: Sql,
  options: DemoGatewayUrls & { secretKey: string },
): Promise<number> {
  let moved = 0;
  await sql.begin(async (tx) => {
    for (const tenant of DEMO_TENANTS) {
      for (const channel of tenant.channels) {
        const instanceName = demoChannelInstanceName(tenant.slug, channel);
        // Each kind follows its own simulator: WAHA channels the WAHA simulator's URL, and so on.
        const provider = channel.provider ?? "evolution";
        const gatewayUrl = demoGatewayUrlOf(channel.provider, options);
        const rows = await tx<{ id: string }[]>`
          update public.channels c set gateway_url = ${gatewayUrl}, updated_at = now()
          from public.tenants t
          where t.id = c.tenant_id and t.slug = ${tenant.slug} and c.provider = ${provider}
            and c.instance_name = ${instanceName}
            and c.gateway_url like 'http://127.0.0.1:%' and c.gateway_url <> ${gatewayUrl}
            and not exists (
              select 1 from public.channels o where o.gateway_url = ${gatewayUrl} and o.instance_name = ${instanceName}
            )
          returning c.id
        `;
        for (const { id } of rows) {
          await tx`
            update public.channel_secrets
            set api_key_ciphertext = ${encryptSecret(demoApiKey(channel.scenario, channel.provider), options.secretKey)},
              client_token_ciphertext = ${channel.provider === "zapi" ? encryptSecret(DEMO_ZAPI_CLIENT_TOKEN, options.secretKey) : null},
              updated_at = now()
            where channel_id = ${id}
          `;
          moved++;
        }
      }
    }
  });
  return moved;
}
