import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { DEMO_TENANTS } from "@/lib/demo/demo-data";
import { repointDemoChannels } from "@/lib/demo/repoint-demo-channels";
import { DEMO_GATEWAY_API_KEY, DEMO_WAHA_API_KEY, seedDemo } from "@/lib/demo/seed-demo";
import { backends, type OpenDatabase } from "@/test/databases";

const KEY = Buffer.alloc(32, 3).toString("base64");
const OLD = "http://127.0.0.1:54330";
const NEW = "http://127.0.0.1:24330";
const OLD_WAHA = "http://127.0.0.1:54331";
const NEW_WAHA = "http://127.0.0.1:24331";
const DEMO_CHANNELS = DEMO_TENANTS.reduce((sum, tenant) => sum + tenant.channels.length, 0);
const DEMO_WAHA_CHANNELS = DEMO_TENANTS.reduce((sum, tenant) => sum + tenant.channels.filter((c) => c.provider === "waha").length, 0);

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
    const first = await seedDemo(db.sql, { gatewayUrl: OLD, wahaUrl: OLD_WAHA, secretKey: KEY });
    expect(first.channelsAdded).toBe(DEMO_CHANNELS);
    expect((await db.sql<{ n: number }[]>`select count(*)::int as n from public.channel_uptime_daily`)[0].n).toBeGreaterThan(0);
    const [{ before }] = await db.sql<{ before: number }[]>`select count(*)::int as before from public.channel_uptime_daily`;
    // Someone's own channel on another loopback gateway is not the demo's: it stays.
    const [tenant] = await db.sql<{ id: string }[]>`select id from public.tenants limit 1`;
    await db.sql`
      insert into public.channels (tenant_id, provider, gateway_url, instance_name, display_name)
      values (${tenant.id}, 'evolution', 'http://127.0.0.1:8081', 'my-own-instance', 'Mine')
    `;

    expect(await repointDemoChannels(db.sql, { gatewayUrl: NEW, wahaUrl: NEW_WAHA, secretKey: KEY })).toBe(DEMO_CHANNELS);
    const second = await seedDemo(db.sql, { gatewayUrl: NEW, wahaUrl: NEW_WAHA, secretKey: KEY });
    expect(second.channelsAdded).toBe(0);

    const urls = await db.sql<{ gateway_url: string; count: number }[]>`
      select gateway_url, count(*)::int as count from public.channels group by gateway_url order by gateway_url
    `;
    expect(urls).toEqual([
      { gateway_url: NEW, count: DEMO_CHANNELS - DEMO_WAHA_CHANNELS },
      { gateway_url: NEW_WAHA, count: DEMO_WAHA_CHANNELS },
      { gateway_url: "http://127.0.0.1:8081", count: 1 },
    ]);
    const [{ after }] = await db.sql<{ after: number }[]>`select count(*)::int as after from public.channel_uptime_daily`;
    expect(after).toBe(before);
    const keys = await db.sql<{ api_key_ciphertext: string | null }[]>`
      select s.api_key_ciphertext from public.channel_secrets s join public.channels c on c.id = s.channel_id
      where c.gateway_url in (${NEW}, ${NEW_WAHA})
    `;
    expect(keys).toHaveLength(DEMO_CHANNELS);
    const plain = keys.map((row) => decryptSecret(row.api_key_ciphertext!, KEY));
    expect(plain.filter((key) => key === DEMO_GATEWAY_API_KEY).length).toBeGreaterThan(DEMO_CHANNELS - DEMO_WAHA_CHANNELS - 3);
    expect(plain.filter((key) => key === DEMO_WAHA_API_KEY)).toHaveLength(DEMO_WAHA_CHANNELS);

    // Nothing to move the next time.
    expect(await repointDemoChannels(db.sql, { gatewayUrl: NEW, wahaUrl: NEW_WAHA, secretKey: KEY })).toBe(0);
  });
});
