import { beforeAll, expect, it } from "vitest";
import { listChannelAlerts, listChannelIncidents, listIncidents } from "@/lib/db/incidents";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import { DEFAULT_FILTERS, type IncidentFilters } from "@/lib/incidents/incident-filters";
import { incidentsCsv } from "@/lib/incidents/incidents-csv";
import { forEachBackend } from "@/test/databases";
import { insertChannel, insertMembership, insertTenant, insertUser } from "@/test/factories";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

forEachBackend("incident read paths (RLS)", (db) => {
  let viewer: VerifiedClaims;
  let tenantA: string;
  let tenantB: string;
  let recepcao: string;
  let reservas: string;
  let qrIncident: string;
  let gatewayIncident: string;

  beforeAll(async () => {
    const sql = db().sql;
    tenantA = (await insertTenant(sql)).id;
    tenantB = (await insertTenant(sql)).id;
    viewer = { sub: (await insertMembership(sql, { tenant_id: tenantA, role: "viewer" })).user_id };
    const admin = await insertUser(sql, { email: "gerente@pousada.test" });
    await insertMembership(sql, { tenant_id: tenantA, user_id: admin.id, role: "admin" });
    const a = await insertChannel(sql, { tenant_id: tenantA, display_name: "Recepção" });
    const b = await insertChannel(sql, { tenant_id: tenantA, display_name: "Reservas" });
    const other = await insertChannel(sql, { tenant_id: tenantB, display_name: "Other" });
    recepcao = a.id;
    reservas = b.id;
    const [{ gateway_id: gatewayId }] = await sql<{ gateway_id: string }[]>`select gateway_id from public.channels where id = ${a.id}`;

    [{ id: qrIncident }] = await sql<{ id: string }[]>`
      insert into public.incidents (tenant_id, kind, channel_id, state, states_seen, opened_at, acknowledged_at, acknowledged_by)
      values (${tenantA}, 'channel', ${a.id}, 'needs_qr', '{disconnected,needs_qr}', ${ago(2)}, ${ago(1)}, ${admin.id}) returning id`;
    [{ id: gatewayIncident }] = await sql<{ id: string }[]>`
      insert into public.incidents (tenant_id, kind, gateway_id, state, states_seen, opened_at, resolved_at)
      values (${tenantA}, 'gateway', ${gatewayId}, 'provider_down', '{provider_down}', ${ago(10 * 24)}, ${ago(10 * 24 - 1)}) returning id`;
    const [{ id: otherIncident }] = await sql<{ id: string }[]>`
      insert into public.incidents (tenant_id, kind, channel_id, state, states_seen, opened_at)
      values (${tenantB}, 'channel', ${other.id}, 'replaced', '{replaced}', ${ago(1)}) returning id`;
    await sql`
      insert into public.incident_channels (incident_id, channel_id, tenant_id, joined_at, left_at, state) values
        (${qrIncident}, ${a.id}, ${tenantA}, ${ago(2)}, null, 'needs_qr'),
        (${gatewayIncident}, ${a.id}, ${tenantA}, ${ago(240)}, ${ago(239.5)}, 'provider_down'),
        (${gatewayIncident}, ${b.id}, ${tenantA}, ${ago(240)}, ${ago(239)}, 'provider_down'),
        (${otherIncident}, ${other.id}, ${tenantB}, ${ago(1)}, null, 'replaced')`;
    const [{ id: contact }] = await sql<{ id: string }[]>`
      insert into public.alert_contacts (tenant_id, name, kind, target) values (${tenantA}, 'Gerente', 'email', 'g@pousada.test') returning id`;
    await sql`
      insert into public.alert_outbox (tenant_id, incident_id, contact_id, kind, seq, status, attempts, sent_at, created_at) values
        (${tenantA}, ${qrIncident}, ${contact}, 'opened', 0, 'sent', 1, ${ago(2)}, ${ago(2)}),
        (${tenantA}, ${qrIncident}, ${contact}, 'reminder', 1, 'failed', 3, null, ${ago(1)})`;
  });

  const list = (filters: Partial<IncidentFilters>, tenantId = tenantA) =>
    runAsUser(db().sql, viewer, (tx) => listIncidents(tx, { tenantId, filters: { ...DEFAULT_FILTERS, ...filters }, now: NOW, limit: 50 }));

  it("lists the tenant's incidents, open first, with who acknowledged and every channel", async () => {
    const rows = await list({});
    expect(rows.map((r) => r.id)).toEqual([qrIncident, gatewayIncident]);
    expect(rows[0]).toMatchObject({ acknowledgedBy: "gerente@pousada.test", statesSeen: ["disconnected", "needs_qr"] });
    expect(rows[1].channels.map((c) => c.name)).toEqual(["Recepção", "Reservas"]);
    expect(rows[1].gatewayName).toBeTruthy();
  });

  it("filters by status, state, channel and period", async () => {
    expect((await list({ status: "open" })).map((r) => r.id)).toEqual([qrIncident]);
    expect((await list({ status: "resolved" })).map((r) => r.id)).toEqual([gatewayIncident]);
    expect((await list({ state: "disconnected" })).map((r) => r.id)).toEqual([qrIncident]);
    expect((await list({ channelId: reservas })).map((r) => r.id)).toEqual([gatewayIncident]);
    expect((await list({ period: "7d" })).map((r) => r.id)).toEqual([qrIncident]);
  });

  it("never shows another tenant's incidents, whatever tenant is asked for", async () => {
    expect(await list({}, tenantB)).toEqual([]);
  });

  it("the channel page lists its incidents with its own time in each, and what was sent to whom", async () => {
    const [incidents, alerts] = await runAsUser(db().sql, viewer, async (tx) => [
      await listChannelIncidents(tx, recepcao, 20), await listChannelAlerts(tx, recepcao, 20),
    ] as const);
    expect(incidents.map((i) => [i.id, i.leftAt === null, i.channelCount])).toEqual([[qrIncident, true, 1], [gatewayIncident, false, 2]]);
    expect(incidents[1].leftAt!.getTime() - incidents[1].joinedAt.getTime()).toBe(30 * 60_000);
    expect(alerts.map((a) => [a.kind, a.seq, a.status, a.contactName])).toEqual([["reminder", 1, "failed", "Gerente"], ["opened", 0, "sent", "Gerente"]]);
  });

  it("exports the same rows as CSV", async () => {
    const csv = incidentsCsv(await list({}), NOW);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('"Recepção; Reservas","0"');
    expect(lines[2]).toContain('"3600"');
  });
});
