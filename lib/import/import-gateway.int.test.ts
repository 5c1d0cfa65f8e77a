import { afterEach, beforeEach, expect, it } from "vitest";
import { loadChannelTarget } from "@/lib/channels/channel-target";
import { createChannel } from "@/lib/channels/create-channel";
import { decryptSecret } from "@/lib/crypto/secret-box";
import {
  applyImport,
  listGatewayForImport,
  readImportWebhooks,
  type ImportDeps,
  type Importer,
  type ImportListing,
} from "@/lib/import/import-gateway";
import { createEvolutionProvider } from "@/lib/providers/evolution";
import { NotGlobalKeyError, ProviderError, type Provider } from "@/lib/providers/types";
import { member } from "@/test/channel-action-helpers";
import { forEachBackend } from "@/test/databases";
import { insertPlatformAdmin, insertTenant } from "@/test/factories";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";

/**
 * Issue 10, point 2: a gateway's instances become channels in one go, against the simulator and a real
 * database. Tokens end up sealed, the global key sealed on the gateway row, nothing twice, nothing for a
 * key that is not the global key or a gateway the outbound guard refuses.
 */

const PLATFORM_HOOK = "https://platform.example/hook?token=abc";
const operator: Importer = { kind: "operator" };

forEachBackend("importing a gateway's instances", (db) => {
  let h: Harness;
  let tenant: { id: string; slug: string; name: string };
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.gateways, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
    [tenant] = await h.sql<{ id: string; slug: string; name: string }[]>`select id, slug, name from public.tenants where id = ${h.tenantId}`;
    h.simulator.addInstance({ name: "pousada-centro", token: "token-centro-000001", scenario: "healthy" });
    h.simulator.addInstance({ name: "pousada-nova", token: "token-nova-0000001", scenario: "never_paired" });
    h.simulator.addInstance({
      name: "pousada-praia", token: "token-praia-000001", scenario: "healthy",
      webhook: { enabled: true, url: PLATFORM_HOOK, headers: { "x-platform": "secret" }, events: ["MESSAGES_UPSERT"] },
    });
    h.simulator.addInstance({ name: "escritorio", token: "token-escritorio-01", scenario: "logged_out" });
  });
  afterEach(async () => {
    await h.stop();
  });

  const deps = (provider: Provider = h.deps().providers.evolution): ImportDeps => ({ sql: h.sql, provider, secretKey: h.secretKey });
  const request = (overrides: { apiKey?: string; pattern?: string | null; gatewayUrl?: string } = {}) => ({
    gatewayUrl: overrides.gatewayUrl ?? h.simulator.url,
    apiKey: overrides.apiKey ?? GATEWAY_KEY,
    rules: [{ pattern: overrides.pattern ?? null, tenant }],
  });
  async function list(importer = operator, overrides: Parameters<typeof request>[0] = {}, provider?: Provider): Promise<ImportListing> {
    const listed = await listGatewayForImport(deps(provider), importer, request(overrides));
    if (listed.status !== "listed") throw new Error(`not listed: ${listed.status}`);
    return listed.listing;
  }
  const counts = async () => {
    const [row] = await h.sql<{ gateways: number; channels: number; statuses: number }[]>`
      select (select count(*)::int from public.gateways) as gateways, (select count(*)::int from public.channels) as channels,
        (select count(*)::int from public.channel_status) as statuses
    `;
    return row;
  };
  const instanceCalls = () => h.simulator.list().reduce((sum, instance) => sum + Object.values(instance.calls).reduce((a, b) => a + b, 0), 0);

  it("a dry run lists and shows (phone, state, webhook origin and path) and writes nothing", async () => {
    const listing = await list();
    await readImportWebhooks(deps(), listing);
    expect(listing.plan.listed).toBe(4);
    const byName = Object.fromEntries(listing.plan.rows.map((row) => [row.name, row]));
    expect(byName["pousada-praia"]).toMatchObject({ action: "add", state: "open", webhookUrl: "https://platform.example/hook", hasToken: true });
    expect(byName["pousada-praia"].phone).toMatch(/^\+55\d{11}$/);
    expect(byName["pousada-nova"]).toMatchObject({ action: "add", state: "close", phone: null, webhookUrl: null });
    expect(JSON.stringify(listing.plan)).not.toMatch(/token=abc|token-praia|x-platform/);
    expect(await counts()).toEqual({ gateways: 0, channels: 0, statuses: 0 });
  });

  it("adds every instance with its own token sealed, records the tenant's gateway with its global key; a second run adds 0", async () => {
    const first = await applyImport(deps(), operator, await list());
    expect(first).toMatchObject({ status: "applied", added: 4, skipped: 0 });
    const channels = await h.sql<{ instanceName: string; key: string; usesGatewayKey: boolean; gatewayUrl: string; owner: string; globalKey: string }[]>`
      select c.instance_name as "instanceName", s.api_key_ciphertext as key, c.uses_gateway_key as "usesGatewayKey",
        c.gateway_url as "gatewayUrl", g.owner_tenant_id as owner, g.global_key_ciphertext as "globalKey"
      from public.channels c join public.channel_secrets s on s.channel_id = c.id join public.gateways g on g.id = c.gateway_id
      order by c.instance_name
    `;
    expect(channels.map((c) => [c.instanceName, decryptSecret(c.key, h.secretKey), c.usesGatewayKey])).toEqual([
      ["escritorio", "token-escritorio-01", false],
      ["pousada-centro", "token-centro-000001", false],
      ["pousada-nova", "token-nova-0000001", false],
      ["pousada-praia", "token-praia-000001", false],
    ]);
    for (const channel of channels) {
      expect(channel).toMatchObject({ gatewayUrl: h.simulator.url, owner: h.tenantId });
      expect(decryptSecret(channel.globalKey, h.secretKey)).toBe(GATEWAY_KEY);
    }
    expect(await counts()).toEqual({ gateways: 1, channels: 4, statuses: 4 });

    const second = await list();
    expect(second.plan.rows.every((row) => row.action === "skip" && row.reason === "already_added" && row.channelId)).toBe(true);
    expect(await applyImport(deps(), operator, second)).toMatchObject({ status: "applied", added: 0, skipped: 4 });
    expect(await counts()).toEqual({ gateways: 1, channels: 4, statuses: 4 });
  });

  it("--match keeps only the instances whose names match", async () => {
    const listing = await list(operator, { pattern: "^pousada-(centro|praia)$" });
    expect(listing.plan.rows.map((row) => row.name)).toEqual(["pousada-centro", "pousada-praia"]);
    expect(await applyImport(deps(), operator, listing)).toMatchObject({ added: 2 });
    const names = await h.sql<{ name: string }[]>`select instance_name as name from public.channels order by 1`;
    expect(names.map((row) => row.name)).toEqual(["pousada-centro", "pousada-praia"]);
  });

  it("an instance token instead of the global key: a clear refusal, nothing added", async () => {
    const error = await list(operator, { apiKey: "token-praia-000001" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotGlobalKeyError);
    expect((error as Error).message).toMatch(/instance token of "pousada-praia", not the gateway's global key/);
    const wrong = await list(operator, { apiKey: "not-the-key-at-all" }).catch((caught: unknown) => caught);
    expect((wrong as Error).message).toBe("the key is not the gateway's global key (the gateway refused it)");
    expect(await counts()).toEqual({ gateways: 0, channels: 0, statuses: 0 });
  });

  it("a gateway on an address the outbound guard does not allow is refused before any request", async () => {
    const strict = createEvolutionProvider({ timeoutMs: 2000, outbound: {} });
    const error = await list(operator, {}, strict).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).detail.refused?.reason).toBe("loopback");
    expect(instanceCalls()).toBe(0);
    expect(await counts()).toEqual({ gateways: 0, channels: 0, statuses: 0 });
  });

  it("an instance listed without a token uses the gateway's key on the service path, and a tenant admin's import seals it as the channel's own", async () => {
    const base = h.deps().providers.evolution;
    const tokenless: Provider = {
      ...base,
      listInstances: async (target) => (await base.listInstances!(target)).map((row) => ({ ...row, token: undefined })),
    };
    await applyImport(deps(tokenless), operator, await list(operator, { pattern: "centro" }, tokenless));
    const [centro] = await h.sql<{ id: string; uses: boolean; key: string | null }[]>`
      select c.id, c.uses_gateway_key as uses, s.api_key_ciphertext as key
      from public.channels c join public.channel_secrets s on s.channel_id = c.id where c.instance_name = 'pousada-centro'
    `;
    expect({ uses: centro.uses, key: centro.key }).toEqual({ uses: true, key: null });
    expect((await loadChannelTarget(h.sql, centro.id, h.secretKey)).target.apiKey).toBe(GATEWAY_KEY);

    const admin: Importer = { kind: "tenant_admin", claims: await member(h, "admin") };
    await applyImport(deps(tokenless), admin, await list(admin, { pattern: "praia" }, tokenless));
    const [praia] = await h.sql<{ uses: boolean; key: string }[]>`
      select c.uses_gateway_key as uses, s.api_key_ciphertext as key
      from public.channels c join public.channel_secrets s on s.channel_id = c.id where c.instance_name = 'pousada-praia'
    `;
    expect(praia.uses).toBe(false);
    expect(decryptSecret(praia.key, h.secretKey)).toBe(GATEWAY_KEY);
  });

  it("a tenant admin imports through RLS into their own gateway; a viewer is refused before the gateway is called", async () => {
    const viewer: Importer = { kind: "tenant_admin", claims: await member(h, "viewer") };
    expect(await listGatewayForImport(deps(), viewer, request())).toEqual({ status: "forbidden" });
    expect(instanceCalls()).toBe(0);

    // Another tenant already has one of these instances: the admin cannot see it, and it is skipped, not an error.
    const other = await insertTenant(h.sql);
    await createChannel(h.sql, {
      tenantId: other.id, provider: "evolution", gatewayUrl: h.simulator.url, instanceName: "escritorio",
      apiKey: "token-escritorio-01", displayName: "Escritório",
    }, h.secretKey);

    const admin: Importer = { kind: "tenant_admin", claims: await member(h, "admin") };
    const listing = await list(admin);
    expect(listing.plan.rows.filter((row) => row.action === "add").map((row) => row.name))
      .toEqual(["escritorio", "pousada-centro", "pousada-nova", "pousada-praia"]);
    const applied = await applyImport(deps(), admin, listing, { only: new Set(["escritorio", "pousada-centro", "pousada-praia"]) });
    expect(applied).toMatchObject({ status: "applied", added: 2, skipped: 1 });
    if (applied.status !== "applied") return;
    expect(applied.rows.find((row) => row.name === "escritorio")).toMatchObject({ action: "skip", reason: "already_added" });
    const [gateway] = await h.sql<{ owner: string }[]>`
      select g.owner_tenant_id as owner from public.gateways g join public.channels c on c.gateway_id = g.id
      where c.instance_name = 'pousada-centro'
    `;
    expect(gateway.owner).toBe(h.tenantId);
    const [{ count }] = await h.sql<{ count: number }[]>`select count(*)::int as count from public.channels where tenant_id = ${h.tenantId}`;
    expect(count).toBe(2);
  });

  it("platform staff assign instances to tenants by name pattern, on the platform's gateway; others are refused", async () => {
    const praiaTenant = await insertTenant(h.sql, { slug: "praia", name: "Praia" });
    const staff = await insertPlatformAdmin(h.sql);
    const rules = [
      { pattern: "praia", tenant: { id: praiaTenant.id, slug: praiaTenant.slug, name: praiaTenant.name } },
      { pattern: "^pousada-", tenant },
    ];
    const asStaff: Importer = { kind: "platform_staff", claims: { sub: staff.user_id } };
    const notStaff: Importer = { kind: "platform_staff", claims: await member(h, "admin") };
    expect(await listGatewayForImport(deps(), notStaff, { gatewayUrl: h.simulator.url, apiKey: GATEWAY_KEY, rules })).toEqual({ status: "forbidden" });

    const listed = await listGatewayForImport(deps(), asStaff, { gatewayUrl: h.simulator.url, apiKey: GATEWAY_KEY, rules });
    if (listed.status !== "listed") throw new Error("staff may list");
    expect(await applyImport(deps(), notStaff, listed.listing)).toEqual({ status: "forbidden" });
    expect(await applyImport(deps(), asStaff, listed.listing)).toMatchObject({ status: "applied", added: 3 });
    const rows = await h.sql<{ name: string; slug: string; owner: string | null }[]>`
      select c.instance_name as name, t.slug, g.owner_tenant_id as owner
      from public.channels c join public.tenants t on t.id = c.tenant_id join public.gateways g on g.id = c.gateway_id
      order by 1
    `;
    expect(rows).toEqual([
      { name: "pousada-centro", slug: tenant.slug, owner: null },
      { name: "pousada-nova", slug: tenant.slug, owner: null },
      { name: "pousada-praia", slug: "praia", owner: null },
    ]);
  });
});
