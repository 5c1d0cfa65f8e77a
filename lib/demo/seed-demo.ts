import { canonicalGatewayUrlOrThrow, createChannel } from "@/lib/channels/create-channel";
import type { Sql } from "@/lib/db/client";
import { DEMO_TENANTS, DEMO_USERS, type DemoChannel, type DemoPlatformWebhook, type DemoScenario } from "@/lib/demo/demo-data";
import { seedDemoHistory, type HistoryChannel } from "@/lib/demo/demo-history";

export const DEMO_GATEWAY_API_KEY = "demo-gateway-key-0001";
/** The demo WAHA simulator's X-Api-Key. */
export const DEMO_WAHA_API_KEY = "demo-waha-key-0001";
const WRONG_GATEWAY_API_KEY = "revoked-gateway-key-9999";

/** The key a demo channel is stored with: its simulator's, except where the scenario is a wrong key. */
export function demoApiKey(scenario: DemoScenario, provider: DemoChannel["provider"] = undefined): string {
  if (scenario === "wrong_api_key") return WRONG_GATEWAY_API_KEY;
  return provider === "waha" ? DEMO_WAHA_API_KEY : DEMO_GATEWAY_API_KEY;
}

/** The WAHA simulator's scenarios the demo uses (dev/waha-simulator/model.ts has them all; lib/ never imports dev/). */
export type WahaScenario = "healthy" | "needs_qr" | "logged_out" | "failed" | "stuck_starting" | "slow" | "gateway_down" | "malformed_json";

/** A demo WAHA session: its name on the WAHA simulator and what it plays there. */
export interface DemoWahaSession {
  sessionName: string;
  scenario: WahaScenario;
}

/** The WAHA side of a demo scenario: the same state in Sentinela's words, as WAHA shows it. */
export function wahaScenarioOf(scenario: DemoScenario): WahaScenario {
  switch (scenario) {
    case "never_paired":
      return "needs_qr";
    case "logged_out":
      return "logged_out";
    case "drops_and_recovers":
    case "flapping":
      return "failed";
    case "stuck_connecting":
      return "stuck_starting";
    case "slow":
    case "gateway_down":
    case "malformed_json":
      return scenario;
    default:
      return "healthy";
  }
}

export interface DemoInstance {
  instanceName: string;
  scenario: DemoScenario;
  /** Starts with the platform's webhook installed (lib/demo/demo-data.ts). */
  platformWebhook?: DemoPlatformWebhook;
}

export function demoInstanceName(tenantSlug: string, channelName: string): string {
  const slug = channelName
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${tenantSlug}--${slug}`;
}

/** Every Evolution simulator instance the demo's channels point at, with the scenario it plays. */
export function demoInstances(): DemoInstance[] {
  return DEMO_TENANTS.flatMap((tenant) =>
    tenant.channels.filter((channel) => channel.provider !== "waha").map((channel) => ({
      instanceName: demoInstanceName(tenant.slug, channel.name),
      scenario: channel.scenario,
      ...(channel.platformWebhook ? { platformWebhook: channel.platformWebhook } : {}),
    })),
  );
}

/** Every WAHA simulator session the demo's WAHA channels point at. */
export function demoWahaSessions(): DemoWahaSession[] {
  return DEMO_TENANTS.flatMap((tenant) =>
    tenant.channels.filter((channel) => channel.provider === "waha").map((channel) => ({
      sessionName: demoInstanceName(tenant.slug, channel.name),
      scenario: wahaScenarioOf(channel.scenario),
    })),
  );
}

/**
 * Loads the demo tenants, users, memberships and channels. Idempotent: what exists (by slug, user id
 * or gateway instance) is left as it is, so a second run changes nothing.
 */
export async function seedDemo(sql: Sql, options: { gatewayUrl: string; wahaUrl: string; secretKey: string; now?: Date }) {
  const fresh: HistoryChannel[] = [];
  let alertContacts = 0;
  await sql.begin(async (tx) => {
    for (const tenant of DEMO_TENANTS) {
      const [row] = await tx<{ id: string }[]>`
        insert into public.tenants (slug, name) values (${tenant.slug}, ${tenant.name})
        on conflict (slug) do update set name = excluded.name
        returning id
      `;
      for (const channel of tenant.channels) {
        const instanceName = demoInstanceName(tenant.slug, channel.name);
        const gatewayUrl = channel.provider === "waha" ? options.wahaUrl : options.gatewayUrl;
        // Stored canonical (lib/net/canonical-origin.ts), so compare the canonical spelling.
        const [exists] = await tx`
          select 1 from public.channels
          where gateway_url = ${canonicalGatewayUrlOrThrow(gatewayUrl)} and instance_name = ${instanceName}
        `;
        if (exists) continue;
        const created = await createChannel(
          tx,
          {
            tenantId: row.id,
            provider: channel.provider ?? "evolution",
            gatewayUrl,
            instanceName,
            apiKey: demoApiKey(channel.scenario, channel.provider),
            displayName: channel.name,
            phoneNumber: channel.phone,
          },
          options.secretKey,
        );
        fresh.push({ channelId: created.id, tenantId: row.id, scenario: channel.scenario });
      }
    }
    await seedDemoHistory(tx, fresh, options.now ?? new Date());
    // Who is alerted (lib/demo/demo-alerts.ts); imported late: that module imports this one.
    const { seedDemoAlerts } = await import("@/lib/demo/demo-alerts");
    alertContacts = await seedDemoAlerts(tx, options.secretKey);
    for (const user of DEMO_USERS) {
      // The name a viewer is told to ask (public.tenant_admin_names), as the sign-in provider holds it.
      await tx`
        insert into auth.users (id, email, raw_user_meta_data)
        values (${user.id}, ${user.email}, ${JSON.stringify({ name: user.name, full_name: user.name })}::text::jsonb)
        on conflict (id) do update set raw_user_meta_data = excluded.raw_user_meta_data
      `;
      if (user.platformAdmin) {
        await tx`insert into public.platform_admins (user_id) values (${user.id}) on conflict do nothing`;
      }
      for (const membership of user.memberships) {
        await tx`
          insert into public.memberships (tenant_id, user_id, role)
          select id, ${user.id}, ${membership.role} from public.tenants where slug = ${membership.tenant}
          on conflict (tenant_id, user_id) do update set role = excluded.role
        `;
      }
    }
  });
  return { tenants: DEMO_TENANTS.length, channelsAdded: fresh.length, users: DEMO_USERS.length, alertContacts };
}
