import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ALERTS } from "@/lib/demo/demo-alerts";
import { seedDemo } from "@/lib/demo/seed-demo";
import { backends, type OpenDatabase } from "@/test/databases";

const KEY = Buffer.alloc(32, 7).toString("base64");
const URLS = {
  gatewayUrl: "http://127.0.0.1:24330", wahaUrl: "http://127.0.0.1:24331", zapiUrl: "http://127.0.0.1:24332", cloudApiUrl: "http://127.0.0.1:24333/v23.0",
};

/** The demo's alert contacts and senders: seeded once, then left as admins change them. PostgreSQL only (seeding history is slow). */
describe("demo alerts seed", () => {
  let db: OpenDatabase;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("gives every demo tenant its contacts and a healthy alert sender, once", async () => {
    const first = await seedDemo(db.sql, { ...URLS, secretKey: KEY });
    const expected = DEMO_ALERTS.reduce((sum, tenant) => sum + tenant.contacts.length, 0);
    expect(first.alertContacts).toBe(expected);
    const senders = await db.sql<{ slug: string; sender: string | null }[]>`
      select t.slug, c.display_name as sender from public.tenants t left join public.channels c on c.id = t.alert_sender_channel_id order by t.slug
    `;
    expect(Object.fromEntries(senders.map((row) => [row.slug, row.sender]))).toEqual(
      Object.fromEntries(DEMO_ALERTS.map((tenant) => [tenant.slug, tenant.senderChannel])),
    );
    const languages = await db.sql<{ language: string }[]>`select distinct language from public.alert_contacts order by language`;
    expect(languages.map((row) => row.language)).toEqual(["en", "pt-BR"]);

    await db.sql`delete from public.alert_contacts where name = 'Ilhabela Ops'`;
    const second = await seedDemo(db.sql, { ...URLS, secretKey: KEY });
    expect(second.alertContacts).toBe(0);
    expect((await db.sql`select 1 from public.alert_contacts`).length).toBe(expected - 1);
  });
});
