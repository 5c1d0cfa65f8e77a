import type { ChannelInput } from "@/lib/channels/channel-input";
import { canonicalGatewayUrlOrThrow, createChannel } from "@/lib/channels/create-channel";
import type { Sql } from "@/lib/db/client";
import { DEMO_TENANTS, DEMO_USERS, type DemoChannel, type DemoPlatformWebhook, type DemoScenario } from "@/lib/demo/demo-data";
import { seedDemoHistory, type HistoryChannel } from "@/lib/demo/demo-history";

export const DEMO_GATEWAY_API_KEY = "demo-gateway-key-0001";
/** The demo WAHA simulator's X-Api-Key. */
export const DEMO_WAHA_API_KEY = "demo-waha-key-0001";
/** The demo Z-API instances' token (each instance's, in the path) and the account's Client-Token. */
export const DEMO_ZAPI_INSTANCE_TOKEN = "demo-zapi-instance-token-0001";
export const DEMO_ZAPI_CLIENT_TOKEN = "demo-zapi-client-token-0001";
/** The demo Cloud API access token (Bearer) that reads every demo phone number. */
export const DEMO_CLOUD_API_TOKEN = "EAAG-demo-cloud-api-token-0001";
const WRONG_GATEWAY_API_KEY = "revoked-gateway-key-9999";

/** The key a demo channel is stored with: its simulator's, except where the scenario is a wrong key. */
export function demoApiKey(scenario: DemoScenario, provider: DemoChannel["provider"] = undefined): string {
  if (scenario === "wrong_api_key") return WRONG_GATEWAY_API_KEY;
  switch (provider) {
    case "waha":
      return DEMO_WAHA_API_KEY;
    case "zapi":
      return DEMO_ZAPI_INSTANCE_TOKEN;
    case "cloud-api":
      return DEMO_CLOUD_API_TOKEN;
    default:
      return DEMO_GATEWAY_API_KEY;
  }
}

/** Where each kind of demo channel lives: the demo's simulators' URLs (Cloud API's with Graph's version). */
export interface DemoGatewayUrls {
  gatewayUrl: string;
  wahaUrl: string;
  zapiUrl: string;
  /** Graph's base with its version, e.g. `http://127.0.0.1:24333/v23.0`. */
  cloudApiUrl: string;
}

export function demoGatewayUrlOf(provider: DemoChannel["provider"], urls: DemoGatewayUrls): string {
  switch (provider) {
    case "waha":
      return urls.wahaUrl;
    case "zapi":
      return urls.zapiUrl;
    case "cloud-api":
      return urls.cloudApiUrl;
    default:
      return urls.gatewayUrl;
  }
}

/** The Cloud API simulator's URL for a demo run: its origin plus the Graph version the adapter follows. */
export function demoCloudApiUrl(origin: string): string {
  return `${origin.replace(/\/+$/, "")}/v23.0`;
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

/** The Z-API simulator's scenarios the demo uses (dev/zapi-simulator/model.ts has them all). */
export type ZapiScenario = "healthy" | "needs_restore" | "not_connected" | "gateway_down" | "malformed_json";

/** The Z-API side of a demo scenario: a dropped session is one to restore (the monitor's restart brings it back). */
export function zapiScenarioOf(scenario: DemoScenario): ZapiScenario {
  switch (scenario) {
    case "drops_and_recovers":
    case "flapping":
      return "needs_restore";
    case "never_paired":
    case "logged_out":
      return "not_connected";
    case "gateway_down":
    case "malformed_json":
      return scenario;
    default:
      return "healthy";
  }
}

/** The Cloud API simulator's scenarios the demo uses (dev/cloud-api-simulator/server.ts has them all). */
export type CloudApiScenario = "healthy" | "limited" | "blocked";

export function cloudApiScenarioOf(scenario: DemoScenario): CloudApiScenario {
  return scenario === "sending_limited" ? "limited" : scenario === "sending_blocked" ? "blocked" : "healthy";
}

/** A demo Z-API instance: its id on the simulator (the channel's instance name). */
export interface DemoZapiInstance {
  id: string;
  phone: string;
  scenario: ZapiScenario;
}

/** A demo Cloud API phone number: its id (the channel's instance name), its account and how it shows. */
export interface DemoCloudApiNumber {
  id: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  scenario: CloudApiScenario;
}

/** A Cloud API phone number id for a demo line: digits, derived from its phone so it is stable. */
export function demoPhoneNumberId(phone: string): string {
  return `10${phone.replace(/\D/g, "")}`;
}

/** Each demo tenant's WhatsApp Business Account id (digits, stable). */
export function demoWabaId(tenantSlug: string): string {
  const index = DEMO_TENANTS.findIndex((tenant) => tenant.slug === tenantSlug);
  return `30000000000${String(index + 1).padStart(4, "0")}`;
}

/** The channel's instance name on its gateway: a Cloud API phone number id, else a name from the tenant and line. */
export function demoChannelInstanceName(tenantSlug: string, channel: DemoChannel): string {
  return channel.provider === "cloud-api" ? demoPhoneNumberId(channel.phone) : demoInstanceName(tenantSlug, channel.name);
}

/** `+5512991230014` as Graph displays it: `+55 12 99123-0014`. */
function displayOf(phone: string): string {
  const match = /^\+(\d{2})(\d{2})(\d{4,5})(\d{4})$/.exec(phone);
  return match ? `+${match[1]} ${match[2]} ${match[3]}-${match[4]}` : phone;
}

/** What an Evolution simulator instance can play: every demo scenario but the Cloud API's sending verdicts. */
export type EvolutionDemoScenario = Exclude<DemoScenario, "sending_limited" | "sending_blocked">;

export interface DemoInstance {
  instanceName: string;
  scenario: EvolutionDemoScenario;
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
    tenant.channels.filter((channel) => channel.provider === undefined).map((channel) => ({
      instanceName: demoInstanceName(tenant.slug, channel.name),
      // A sending verdict is the Cloud API's alone: an Evolution line given one plays healthy.
      scenario: channel.scenario === "sending_limited" || channel.scenario === "sending_blocked" ? "healthy" : channel.scenario,
      ...(channel.platformWebhook ? { platformWebhook: channel.platformWebhook } : {}),
    })),
  );
}

/** Every Z-API simulator instance the demo's Z-API channels point at. */
export function demoZapiInstances(): DemoZapiInstance[] {
  return DEMO_TENANTS.flatMap((tenant) =>
    tenant.channels.filter((channel) => channel.provider === "zapi").map((channel) => ({
      id: demoInstanceName(tenant.slug, channel.name),
      phone: channel.phone.replace(/\D/g, ""),
      scenario: zapiScenarioOf(channel.scenario),
    })),
  );
}

/** Every Cloud API simulator phone number the demo's Cloud API channels point at, one WABA per tenant. */
export function demoCloudApiNumbers(): DemoCloudApiNumber[] {
  return DEMO_TENANTS.flatMap((tenant) =>
    tenant.channels.filter((channel) => channel.provider === "cloud-api").map((channel) => ({
      id: demoPhoneNumberId(channel.phone),
      wabaId: demoWabaId(tenant.slug),
      displayPhoneNumber: displayOf(channel.phone),
      verifiedName: tenant.name,
      scenario: cloudApiScenarioOf(channel.scenario),
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

/** What the seed creates for one demo channel: the input a tenant admin's form would send. */
export function demoChannelInput(tenant: { id: string; slug: string }, channel: DemoChannel, urls: DemoGatewayUrls): ChannelInput {
  return {
    tenantId: tenant.id,
    provider: channel.provider ?? "evolution",
    gatewayUrl: demoGatewayUrlOf(channel.provider, urls),
    instanceName: demoChannelInstanceName(tenant.slug, channel),
    apiKey: demoApiKey(channel.scenario, channel.provider),
    ...(channel.provider === "zapi" ? { clientToken: DEMO_ZAPI_CLIENT_TOKEN } : {}),
    ...(channel.provider === "cloud-api" ? { wabaId: demoWabaId(tenant.slug) } : {}),
    displayName: channel.name,
    phoneNumber: channel.phone,
  };
}

/**
 * Loads the demo tenants, users, memberships and channels. Idempotent: what exists (by slug, user id
 * or gateway instance) is left as it is, so a second run changes nothing.
 */
export async function seedDemo(sql: Sql, options: DemoGatewayUrls & { secretKey: string; now?: Date }) {
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
        const input = demoChannelInput({ id: row.id, slug: tenant.slug }, channel, options);
        // Stored canonical (lib/net/canonical-origin.ts), so compare the canonical spelling.
        const [exists] = await tx`
          select 1 from public.channels
          where gateway_url = ${canonicalGatewayUrlOrThrow(input.gatewayUrl)} and instance_name = ${input.instanceName}
        `;
        if (exists) continue;
        const created = await createChannel(tx, input, options.secretKey);
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
