import { beforeAll, expect, it } from "vitest";
import { loadNextStepFacts } from "@/lib/db/channel-next-step";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import { forEachBackend } from "@/test/databases";
import { insertChannel, insertMembership, insertTenant, insertUser } from "@/test/factories";

const NEXT = new Date("2026-03-01T12:02:00.000Z");
const DOWN = new Date("2026-03-01T11:40:00.000Z");

forEachBackend("next-step facts (RLS)", (db) => {
  let viewer: VerifiedClaims;
  let outsider: VerifiedClaims;
  let tenantA: string;
  let channel: string;

  beforeAll(async () => {
    const sql = db().sql;
    tenantA = (await insertTenant(sql)).id;
    const tenantB = (await insertTenant(sql)).id;
    viewer = { sub: (await insertMembership(sql, { tenant_id: tenantA, role: "viewer" })).user_id };
    outsider = { sub: (await insertMembership(sql, { tenant_id: tenantB, role: "admin" })).user_id };
    const named = await insertUser(sql, { email: "bruno@pousada.test" });
    await sql`update auth.users set raw_user_meta_data = '{"full_name": "Bruno Lima"}'::jsonb where id = ${named.id}`;
    await insertMembership(sql, { tenant_id: tenantA, user_id: named.id, role: "admin" });
    await insertMembership(sql, { tenant_id: tenantA, user_id: (await insertUser(sql, { email: "helena.castro@pousada.test" })).id, role: "admin" });
    channel = (await insertChannel(sql, { tenant_id: tenantA, gateway_url: "http://10.1.1.1:8080" }, {
      status: { state: "provider_down", next_reconnect_at: NEXT },
    })).id;
    await insertChannel(sql, { tenant_id: tenantA, gateway_url: "http://10.1.1.1:8080" });
    await insertChannel(sql, { tenant_id: tenantA, gateway_url: "http://10.1.1.1:8080" }, { status: { state: "provider_down" } });
    await insertChannel(sql, { tenant_id: tenantA, gateway_url: "http://10.2.2.2:8080" }, { status: { state: "provider_down" } });
    await insertChannel(sql, { tenant_id: tenantB, gateway_url: "http://10.1.1.1:8080" });
    await sql`update public.channel_status set down_since = ${DOWN} where channel_id = ${channel}`;
    await sql`
      update public.gateways set name = 'Gateway Ubatuba', operator = 'TI Litoral'
      where id = (select gateway_id from public.channels where id = ${channel})`;
  });

  it("a viewer reads the next attempt, since when, the gateway's name, operator and this tenant's lines on it (and how many are down), and the admins by name", async () => {
    const facts = await runAsUser(db().sql, viewer, (tx) => loadNextStepFacts(tx, { id: channel, tenantId: tenantA }));
    expect(facts.nextReconnectAt?.toISOString()).toBe(NEXT.toISOString());
    expect(facts.downSince?.toISOString()).toBe(DOWN.toISOString());
    expect(facts.stateSince).toBeInstanceOf(Date);
    expect(facts.gateway).toEqual({ name: "Gateway Ubatuba", operator: "TI Litoral", platformRun: false, tenantChannels: 3, tenantChannelsDown: 2 });
    expect(facts.admins).toEqual(["Bruno Lima", "Helena Castro"]);
  });

  it("another tenant's member learns no admin of this tenant", async () => {
    const facts = await runAsUser(db().sql, outsider, (tx) => loadNextStepFacts(tx, { id: channel, tenantId: tenantA }));
    expect(facts).toEqual({ nextReconnectAt: null, downSince: null, stateSince: null, gateway: null, admins: [] });
  });
});
