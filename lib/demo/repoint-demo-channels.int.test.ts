import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { DEMO_TENANTS } from "@/lib/demo/demo-data";
import { repointDemoChannels } from "@/lib/demo/repoint-demo-channels";
import {
  DEMO_CLOUD_API_TOKEN,
  DEMO_GATEWAY_API_KEY,
  DEMO_WAHA_API_KEY,
  DEMO_ZAPI_CLIENT_TOKEN,
  DEMO_ZAPI_INSTANCE_TOKEN,
  seedDemo,
} from "@/lib/demo/seed-demo";
import { backends, type OpenDatabase } from "@/test/databases";

const KEY = Buffer.alloc(32, 3).toString("base64");
const OLD = "http://127.0.0.1:54330";
const NEW = "http://127.0.0.1:24330";
const OLD_WAHA = "http://127.0.0.1:54331";
const NEW_WAHA = "http://127.0.0.1:24331";
const OLD_ZAPI = "http://127.0.0.1:54332";
const NEW_ZAPI = "http://127.0.0.1:24332";
const OLD_GRAPH = "http://127.0.0.1:54333/v23.0";
const NEW_GRAPH = "http://127.0.0.1:24333/v23.0";
const OLD_URLS = { gatewayUrl: OLD, wahaUrl: OLD_WAHA, zapiUrl: OLD_ZAPI, cloudApiUrl: OLD_GRAPH };
const NEW_URLS = { gatewayUrl: NEW, wahaUrl: NEW_WAHA, zapiUrl: NEW_ZAPI, cloudApiUrl: NEW_GRAPH };
const DEMO_CHANNELS = DEMO_TENANTS.reduce((sum, tenant) => sum + tenant.channels.length, 0);
const countOf = (provider: string) => DEMO_TENANTS.reduce((sum, tenant) => sum + tenant.channels.filter((c) => c.provider === provider).length, 0);
const DEMO_WAHA_CHANNELS = countOf("waha");
const DEMO_ZAPI_CHANNELS = countOf("zapi");
const DEMO_CLOUD_API_CHANNELS = countOf("cloud-api");
const DEMO_EVOLUTION_CHANNELS = DEMO_CHANNELS - DEMO_WAHA_CHANNELS - DEMO_ZAPI_CHANNELS - DEMO_CLOUD_API_CHANNELS;

/**
 * A second `npm run demo` whose simulator had to move: the channels in .data/ follow it (with their
 * history and a key bound to the new URL), instead of the seed adding a second set beside dead ones.
 * PostgreSQL only: seeding thirty days of history is the slow part, and the SQL is the same on PGlite.
 */
describe("repointDemoChannels", () => {
  let db: OpenDatabase;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("moves the demo channels to the simulator's new port, keys and history kept, and a re-seed adds nothing", async () => {
    const first = await seedDemo(db.sql, { ...OLD_URLS, secretKey: KEY });
    expect(first.channelsAdded).toBe(DEMO_CHANNELS);
    expect((await db.sql<{ n: number }[]>`select count(*)::int as n from public.channel_uptime_daily`)[0].n).toBeGreaterThan(0);
    const [{ before }] = await db.sql<{ before: number }[]>`select count(*)::int as before from public.channel_uptime_daily`;
    // Someone's own channel on another loopback gateway is not the demo's: it stays.
    const [tenant] = await db.sql<{ id: string }[]>`select id from public.tenants limit 1`;
    await db.sql`
      insert into public.channels (tenant_id, provider, gateway_url, instance_name, display_name)
      values (${tenant.id}, 'evolution', 'http://127.0.0.1:8081', 'my-own-instance', 'Mine')
    `;

    expect(await repointDemoChannels(db.sql, { ...NEW_URLS, secretKey: KEY })).toBe(DEMO_CHANNELS);
    const second = await seedDemo(db.sql, { ...NEW_URLS, secretKey: KEY });
    expect(second.channelsAdded).toBe(0);

    const urls = await db.sql<{ gateway_url: string; count: number }[]>`
      select gateway_url, count(*)::int as count from public.channels group by gateway_url order by gateway_url
    `;
    expect(urls).toEqual([
      { gateway_url: NEW, count: DEMO_EVOLUTION_CHANNELS },
      { gateway_url: NEW_WAHA, count: DEMO_WAHA_CHANNELS },
      { gateway_url: NEW_ZAPI, count: DEMO_ZAPI_CHANNELS },
      { gateway_url: NEW_GRAPH, count: DEMO_CLOUD_API_CHANNELS },
      { gateway_url: "http://127.0.0.1:8081", count: 1 },
    ]);
    const [{ after }] = await db.sql<{ after: number }[]>`select count(*)::int as after from public.channel_uptime_daily`;
    expect(after).toBe(before);
    const keys = await db.sql<{ api_key_ciphertext: string | null; client_token_ciphertext: string | null }[]>`
      select s.api_key_ciphertext, s.client_token_ciphertext from public.channel_secrets s join public.channels c on c.id = s.channel_id
      where c.gateway_url in (${NEW}, ${NEW_WAHA}, ${NEW_ZAPI}, ${NEW_GRAPH})
    `;
    expect(keys).toHaveLength(DEMO_CHANNELS);
    const plain = keys.map((row) => decryptSecret(row.api_key_ciphertext!, KEY));
    expect(plain.filter((key) => key === DEMO_GATEWAY_API_KEY).length).toBeGreaterThan(DEMO_EVOLUTION_CHANNELS - 3);
    expect(plain.filter((key) => key === DEMO_WAHA_API_KEY)).toHaveLength(DEMO_WAHA_CHANNELS);
    expect(plain.filter((key) => key === DEMO_ZAPI_INSTANCE_TOKEN)).toHaveLength(DEMO_ZAPI_CHANNELS);
    expect(plain.filter((key) => key === DEMO_CLOUD_API_TOKEN)).toHaveLength(DEMO_CLOUD_API_CHANNELS);
    // A Z-API channel's client token is bound to its URL too: stored again with the key.
    const clientTokens = keys.flatMap((row) => (row.client_token_ciphertext ? [decryptSecret(row.client_token_ciphertext, KEY)] : []));
    expect(clientTokens).toEqual(Array(DEMO_ZAPI_CHANNELS).fill(DEMO_ZAPI_CLIENT_TOKEN));

    // Nothing to move the next time.
    expect(await repointDemoChannels(db.sql, { ...NEW_URLS, secretKey: KEY })).toBe(0);
  });
});
