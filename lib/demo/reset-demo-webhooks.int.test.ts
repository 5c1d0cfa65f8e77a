import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDownstream } from "@/lib/db/downstream";
import { resetDemoWebhooks } from "@/lib/demo/reset-demo-webhooks";
import { demoInstanceName, seedDemo } from "@/lib/demo/seed-demo";
import { backends, type OpenDatabase } from "@/test/databases";

const KEY = Buffer.alloc(32, 5).toString("base64");
const URLS = {
  gatewayUrl: "http://127.0.0.1:24330", wahaUrl: "http://127.0.0.1:24331", zapiUrl: "http://127.0.0.1:24332", cloudApiUrl: "http://127.0.0.1:24333/v23.0",
};

/**
 * A new `npm run demo`: the simulator starts empty, and the platform-webhook instances carry this run's
 * stand-in platform's webhook. Their old adopted downstream is given back so it is adopted again, and
 * every demo channel's webhook is read on the first pass. PostgreSQL only (seeding history is slow).
 */
describe("resetDemoWebhooks", () => {
  let db: OpenDatabase;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("gives the adopted downstreams back and makes every demo channel's webhook due, WAHA, Z-API and Cloud API ones included", async () => {
    await seedDemo(db.sql, { ...URLS, secretKey: KEY });
    const adopted = demoInstanceName("pousada-mar-azul", "Recepção Mar Azul");
    const plain = demoInstanceName("pousada-mar-azul", "Reservas Ubatuba");
    const idOf = async (instance: string) =>
      (await db.sql<{ id: string }[]>`select id from public.channels where instance_name = ${instance}`)[0].id;
    const downstream = { url: "http://127.0.0.1:40001/whatsapp/hook?token=t", headers: { "X-Platform-Token": "t" }, events: [], byEvents: false, base64: false };
    await writeDownstream(db.sql, await idOf(adopted), { downstream, adoptedAt: new Date() }, KEY);
    await writeDownstream(db.sql, await idOf(plain), { downstream }, KEY);
    await db.sql`update public.channel_status set webhook_checked_at = now()`;

    expect(await resetDemoWebhooks(db.sql, URLS)).toEqual({ readopted: 3 });
    const rows = await db.sql<{ instance: string; url: string | null; adopted: Date | null; sealed: string | null }[]>`
      select c.instance_name as instance, c.webhook_downstream_url as url, c.webhook_adopted_at as adopted,
        sec.downstream_url_ciphertext as sealed
      from public.channels c join public.channel_secrets sec on sec.channel_id = c.id
      where c.instance_name in (${adopted}, ${plain}) order by c.instance_name`;
    expect(rows.map((row) => ({ ...row, sealed: row.sealed !== null }))).toEqual([
      { instance: adopted, url: null, adopted: null, sealed: false },
      // Not one of the platform-webhook instances: an admin's downstream stays.
      { instance: plain, url: "http://127.0.0.1:40001/whatsapp/hook", adopted: null, sealed: true },
    ]);
    const [{ due }] = await db.sql<{ due: number }[]>`select count(*)::int as due from public.channel_status where webhook_checked_at is null`;
    const [{ all }] = await db.sql<{ all: number }[]>`select count(*)::int as all from public.channel_status`;
    expect(due).toBe(all);
  });
});
