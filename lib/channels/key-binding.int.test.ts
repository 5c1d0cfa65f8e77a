import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createChannel } from "@/lib/channels/create-channel";
import { updateChannelAsAdmin } from "@/lib/channels/manage-channel";
import { testConnection } from "@/lib/channels/test-connection";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { runAsUser } from "@/lib/db/sessions";
import { canonicalGatewayUrl } from "@/lib/net/canonical-origin";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { forEachBackend } from "@/test/databases";
import { insertTenant } from "@/test/factories";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";

/**
 * Issue 9, point 1: a stored gateway key is only ever sent to the gateway URL and instance it was
 * entered for. The two attacks a tenant admin could make, refused; and the database's own guarantee
 * (a moved channel has no key) whoever writes.
 */

interface Listener {
  url: string;
  requests: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** An admin's own server: records whatever reaches it. */
async function startListener(): Promise<Listener> {
  const requests: Listener["requests"] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" }).end('{"instance":{"state":"open"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

forEachBackend("stored keys stay bound to their gateway and instance", (db) => {
  let h: Harness;
  let listener: Listener;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.gateways, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
    listener = await startListener();
  });
  afterEach(async () => {
    await listener.close();
    await h.stop();
  });

  const callsTo = (instance: string) => h.simulator.stats(instance).calls;
  const storedKeyCiphertext = async (channelId: string) => {
    const [row] = await h.sql<{ key: string | null }[]>`
      select api_key_ciphertext as key from public.channel_secrets where channel_id = ${channelId}
    `;
    return row.key;
  };

  /** Tenant A's channel (stored with the shared gateway's global key) and tenant B's on the same gateway. */
  async function twoTenantsOnOneGateway() {
    h.simulator.addInstance({ name: "a-line", scenario: "healthy" });
    // B's line is down: the monitor would restart it the moment a check reads it.
    h.simulator.addInstance({ name: "b-line", scenario: "healthy", state: "close", reasonCode: 428 });
    const a = await createChannel(h.sql, {
      tenantId: h.tenantId, provider: "evolution", gatewayUrl: h.simulator.url, instanceName: "a-line",
      apiKey: GATEWAY_KEY, displayName: "A",
    }, h.secretKey);
    const tenantB = await insertTenant(h.sql);
    const b = await createChannel(h.sql, {
      tenantId: tenantB.id, provider: "evolution", gatewayUrl: h.simulator.url, instanceName: "b-line",
      apiKey: h.simulator.stats("b-line").token, displayName: "B",
    }, h.secretKey);
    return { a, b, adminA: await member(h, "admin") };
  }

  const form = (overrides: Record<string, unknown>) => ({
    gatewayUrl: h.simulator.url, instanceName: "a-line", displayName: "A", phoneNumber: null, ...overrides,
  });

  it("(a) refuses moving a channel to the admin's own listener with the key left blank: nothing reaches it", async () => {
    const { a, adminA } = await twoTenantsOnOneGateway();
    const before = await storedKeyCiphertext(a.id);

    expect(await updateChannelAsAdmin(actionDeps(h), adminA, a.id, form({ gatewayUrl: listener.url })))
      .toEqual({ status: "invalid", errors: { apiKey: "apiKey.retypeForNewGateway" } });
    expect(await testConnection(actionDeps(h), adminA, { channelId: a.id }, form({ gatewayUrl: `${listener.url}/` })))
      .toEqual({ status: "invalid", errors: { apiKey: "apiKey.retypeForNewGateway" } });

    expect(listener.requests).toEqual([]);
    const [row] = await h.sql`select gateway_url from public.channels where id = ${a.id}`;
    expect(row.gateway_url).toBe(h.simulator.url);
    expect(await storedKeyCiphertext(a.id)).toBe(before);
  });

  it("(a) refuses pointing a channel at another tenant's instance through the `localhost` alias: no request, no restart", async () => {
    const { a, adminA } = await twoTenantsOnOneGateway();
    const alias = h.simulator.url.replace("127.0.0.1", "localhost");

    // Key left blank: the stored key may not follow the typed URL or instance.
    expect(await updateChannelAsAdmin(actionDeps(h), adminA, a.id, form({ gatewayUrl: alias, instanceName: "b-line" })))
      .toEqual({ status: "invalid", errors: { apiKey: "apiKey.retypeForNewGateway" } });
    // Key typed: the alias is the same canonical gateway, and its b-line is already B's channel.
    expect(await updateChannelAsAdmin(actionDeps(h), adminA, a.id, form({
      gatewayUrl: `${alias.replace("http://", "HTTP://")}/`, instanceName: "b-line", apiKey: GATEWAY_KEY,
    }))).toEqual({ status: "invalid", errors: { instanceName: "instanceName.taken" } });

    expect(callsTo("b-line")).toEqual({});
    const [row] = await h.sql`select gateway_url, instance_name from public.channels where id = ${a.id}`;
    expect({ ...row }).toEqual({ gateway_url: h.simulator.url, instance_name: "a-line" });
  });

  it("(b) test connection with a blank key and another instance reads nothing", async () => {
    const { a, adminA } = await twoTenantsOnOneGateway();

    expect(await testConnection(actionDeps(h), adminA, { channelId: a.id }, form({ instanceName: "b-line" })))
      .toEqual({ status: "invalid", errors: { apiKey: "apiKey.retypeForNewGateway" } });
    expect(await testConnection(actionDeps(h), adminA, { channelId: a.id }, form({ gatewayUrl: "http://localhost:1", instanceName: "b-line" })))
      .toEqual({ status: "invalid", errors: { apiKey: "apiKey.retypeForNewGateway" } });
    expect(callsTo("b-line")).toEqual({});

    // Same gateway (another spelling of it) and same instance: the stored key is used, on the stored place.
    const alias = `${h.simulator.url.replace("127.0.0.1", "LOCALHOST")}/`;
    expect(await testConnection(actionDeps(h), adminA, { channelId: a.id }, form({ gatewayUrl: alias })))
      .toMatchObject({ status: "tested", result: { state: "connected" } });
  });

  it("a move with a new key stores it for the new place; a move without one leaves no key, and the monitor says so", async () => {
    const { a, adminA } = await twoTenantsOnOneGateway();
    h.simulator.addInstance({ name: "a-line-2", scenario: "healthy" });
    expect(await updateChannelAsAdmin(actionDeps(h), adminA, a.id, form({ instanceName: "a-line-2", apiKey: GATEWAY_KEY })))
      .toEqual({ status: "updated" });
    expect(await storedKeyCiphertext(a.id)).not.toBeNull();
    expect((await h.status(a.id)).state).toBe("connected");

    // Straight through the database, as a tenant admin could with their own session: the key is gone.
    await runAsUser(h.sql, adminA, (tx) => tx`update public.channels set instance_name = 'a-line' where id = ${a.id}`);
    expect(await storedKeyCiphertext(a.id)).toBeNull();
    for (let pass = 0; pass < 2; pass++) { // leaving `connected` is confirmed on a second check
      h.clock.advance(60_000);
      await h.pass({ all: true });
    }
    expect(await h.status(a.id)).toMatchObject({ state: "misconfigured", reason: "no API key for this gateway: enter it again" });
  });

  it("the database clears a moved channel's key whoever writes, and a moved gateway's global key", async () => {
    const { a, b } = await twoTenantsOnOneGateway();

    await h.sql`update public.channels set instance_name = 'elsewhere' where id = ${a.id}`;
    expect(await storedKeyCiphertext(a.id)).toBeNull();

    // A URL written without a gateway gets the tenant's own gateway for it; the key does not follow.
    await h.sql`update public.channels set gateway_url = ${listener.url} where id = ${b.id}`;
    expect(await storedKeyCiphertext(b.id)).toBeNull();
    const [moved] = await h.sql`
      select c.gateway_url, g.base_url, g.owner_tenant_id = c.tenant_id as own
      from public.channels c join public.gateways g on g.id = c.gateway_id where c.id = ${b.id}
    `;
    expect({ ...moved }).toEqual({ gateway_url: listener.url, base_url: listener.url, own: true });

    // A gateway that moves takes its channels along and loses its global key and theirs.
    const [gateway] = await h.sql<{ id: string }[]>`
      update public.gateways set global_key_ciphertext = 'sealed-global-key' where base_url = ${h.simulator.url}
        and owner_tenant_id = ${h.tenantId} returning id
    `;
    await h.sql`update public.channel_secrets set api_key_ciphertext = ${encryptSecret("key", h.secretKey)} where channel_id = ${a.id}`;
    await h.sql`update public.gateways set base_url = 'http://127.0.0.1:9' where id = ${gateway.id}`;
    const [after] = await h.sql`
      select g.global_key_ciphertext, c.gateway_url, s.api_key_ciphertext from public.gateways g
      join public.channels c on c.gateway_id = g.id join public.channel_secrets s on s.channel_id = c.id
      where g.id = ${gateway.id}
    `;
    expect({ ...after }).toEqual({ global_key_ciphertext: null, gateway_url: "http://127.0.0.1:9", api_key_ciphertext: null });

    // Stored URLs are canonical: an alias is refused, whoever writes it.
    await expect(h.sql`update public.channels set gateway_url = 'http://localhost:9' where id = ${a.id}`)
      .rejects.toMatchObject({ code: "23514" });
  });

  it("only the service path lets a channel use its gateway's global key", async () => {
    const { a, adminA } = await twoTenantsOnOneGateway();
    await expect(runAsUser(h.sql, adminA, (tx) => tx`update public.channels set uses_gateway_key = true where id = ${a.id}`))
      .rejects.toMatchObject({ code: "42501" });
    await expect(runAsUser(h.sql, adminA, (tx) => tx`select global_key_ciphertext from public.gateways`))
      .rejects.toMatchObject({ code: "42501" });

    // Platform staff's path: the channel has no token of its own and uses the gateway's global key.
    await h.sql`update public.gateways set global_key_ciphertext = ${encryptSecret(GATEWAY_KEY, h.secretKey)}
      where id = (select gateway_id from public.channels where id = ${a.id})`;
    await h.sql`update public.channels set uses_gateway_key = true where id = ${a.id}`;
    await h.sql`update public.channel_secrets set api_key_ciphertext = null where channel_id = ${a.id}`;
    h.clock.advance(60_000);
    await h.pass({ all: true });
    expect((await h.status(a.id)).state).toBe("connected");

    // A move ends it: the global key is bound to its gateway, the flag to the place it was set for.
    await h.sql`update public.channels set instance_name = 'other' where id = ${a.id}`;
    const [row] = await h.sql`select uses_gateway_key from public.channels where id = ${a.id}`;
    expect(row.uses_gateway_key).toBe(false);
  });

  it("the database accepts exactly the URLs canonicalGatewayUrl returns", async () => {
    const samples = fc.sample(
      fc.oneof(
        fc.webUrl({ validSchemes: ["http", "https"], withQueryParameters: false, withFragments: false }),
        fc.constantFrom("http://LOCALHOST:8080/", "http://127.1/", "http://[::ffff:127.0.0.1]:1/", "http://0x7f.1",
          "http://[::1]:80/", "https://gw.example.com:443/evo/", "http://gw.example.com./a//b/", "http://[fe80::1]/"),
      ),
      { numRuns: 300, seed: 9 },
    );
    const pairs = samples.flatMap((raw) => {
      const canonical = canonicalGatewayUrl(raw);
      return canonical.ok ? [{ raw, canonical: canonical.url }] : [];
    });
    const rows = await h.sql<{ raw: string; canonical: string; canonicalOk: boolean; rawOk: boolean }[]>`
      select p.raw, p.canonical, public.is_canonical_gateway_url(p.canonical) as "canonicalOk",
        public.is_canonical_gateway_url(p.raw) as "rawOk"
      from unnest(${pairs.map((p) => p.raw)}::text[], ${pairs.map((p) => p.canonical)}::text[]) as p(raw, canonical)
    `;
    expect(rows.length).toBeGreaterThan(250);
    expect(rows.filter((row) => !row.canonicalOk)).toEqual([]);
    // Whatever the database accepts as it is, canonicalizing leaves unchanged.
    expect(rows.filter((row) => row.rawOk && row.raw !== row.canonical)).toEqual([]);
  });
});
