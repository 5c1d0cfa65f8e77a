import { afterEach, beforeEach, expect, it } from "vitest";
import { setChannelPaused } from "@/lib/channels/pause-channel";
import { createChannel } from "@/lib/channels/create-channel";
import { createIncidentStore } from "@/lib/db/incidents-store";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { evaluateChannelIncidents, evaluateIncidents, incidentStep } from "@/lib/incidents/evaluate-incidents";
import type { AlertPayload } from "@/lib/incidents/types";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { forEachBackend } from "@/test/databases";
import { insertTenant } from "@/test/factories";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";
import { connectionEvent, inProcessReceiver, webhookSecretOf } from "@/test/webhook-fixtures";

/**
 * Incidents from real passes: the simulator's lines drop, the monitor records it (flap damping and
 * all), and the incident step that runs after each pass opens, groups, reminds and resolves, queuing
 * alert_outbox rows in the same transaction. The clock is the harness's; passes are 30 s apart.
 */

interface IncidentRow {
  id: string;
  tenant_id: string;
  kind: string;
  channel_id: string | null;
  gateway_id: string | null;
  state: string;
  states_seen: string[];
  opened_at: Date;
  resolved_at: Date | null;
  acknowledged_by: string | null;
  reminder_count: number;
  active: number;
  members: number;
}

interface OutboxRow {
  incident_id: string | null;
  contact_id: string;
  kind: string;
  seq: number;
  payload: AlertPayload;
}

forEachBackend("incidents from monitor passes", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const step = () => incidentStep({ store: createIncidentStore(h.sql) });
  /** One pass with the incident step, as the composition root runs it. */
  const pass = () => h.pass({}, { afterWrites: step() });
  /** Passes every 30 s for `ms`. */
  async function passesFor(ms: number) {
    for (let elapsed = 0; elapsed < ms; elapsed += 30_000) {
      h.clock.advance(30_000);
      await pass();
    }
  }

  const incidents = () => h.sql<IncidentRow[]>`
    select i.*,
      (select count(*) from public.incident_channels m where m.incident_id = i.id and m.left_at is null)::int as active,
      (select count(*) from public.incident_channels m where m.incident_id = i.id)::int as members
    from public.incidents i order by i.opened_at, i.id
  `;
  const outbox = () => h.sql<OutboxRow[]>`
    select incident_id, contact_id, kind, seq, payload from public.alert_outbox order by id
  `;

  async function addContact(name: string, filters: { channelIds?: string[]; states?: string[]; tenantId?: string } = {}) {
    const [row] = await h.sql<{ id: string }[]>`
      insert into public.alert_contacts (tenant_id, name, kind, target, channel_ids, states)
      values (${filters.tenantId ?? h.tenantId}, ${name}, 'email', ${`${name.toLowerCase().replace(/\W/g, "")}@example.test`},
        ${filters.channelIds ?? null}::uuid[], ${filters.states ?? null}::text[])
      returning id
    `;
    return row.id;
  }

  /** A line that was up and then drops to `scenario`: checked healthy, then the drop confirmed (two checks). */
  async function upThenDown(drop: () => void) {
    await pass();
    drop();
    await passesFor(60_000);
  }

  it("needs_qr opens at once, in the pass that records it, for the contacts whose filters match", async () => {
    const line = await h.addChannel("recepcao", "healthy");
    const other = await h.addChannel("reservas", "healthy");
    const everyone = await addContact("Everyone");
    const onlyQr = await addContact("Only QR", { states: ["needs_qr"] });
    await addContact("Only gateway", { states: ["provider_down"] });
    await addContact("Other line", { channelIds: [other] });

    await pass();
    h.simulator.setScenario("recepcao", "logged_out");
    h.clock.advance(30_000);
    await pass();
    expect(await incidents()).toEqual([]); // one check is not an outage (flap damping)
    h.clock.advance(30_000);
    await pass();

    const [incident] = await incidents();
    expect(incident).toMatchObject({ kind: "channel", channel_id: line, state: "needs_qr", states_seen: ["needs_qr"], active: 1, resolved_at: null });
    const rows = await outbox();
    expect(rows.map((r) => [r.contact_id, r.kind, r.seq])).toEqual([[everyone, "opened", 0], [onlyQr, "opened", 0]]);
    expect(rows[0].payload).toMatchObject({
      incidentId: incident.id, state: "needs_qr", critical: true,
      channels: [{ id: line, name: "recepcao", state: "needs_qr", path: `/channels/${line}`, qrPath: `/channels/${line}?pair=1#qr-title` }],
    });
  });

  it("a disconnected line that automatic repair brings back within 5 minutes opens nothing", async () => {
    await h.addChannel("drops", "healthy");
    await addContact("Ops");
    await pass();
    h.simulator.setScenario("drops", "drops_and_recovers", { recoverAfterMs: 600_000 });
    await passesFor(60_000);
    expect((await h.sql`select state from public.channel_status`)[0].state).toBe("disconnected");
    await new Promise((resolve) => setTimeout(resolve, 100)); // the reconnect settles in the simulator
    await passesFor(4 * 60_000);
    expect((await h.sql`select state from public.channel_status`)[0].state).toBe("connected");
    expect(await incidents()).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it("a line repair cannot bring back opens once 5 minutes have passed since it was lost, however its state moves", async () => {
    const id = await h.addChannel("stuck", "healthy");
    await addContact("Ops");
    await pass();
    const lostAt = new Date(h.clock.now.getTime() + 30_000);
    h.simulator.setScenario("stuck", "drops_and_recovers", { recoverAfterMs: 600_000 });
    // Every repair fails: the line drops again before the next check (disconnected, then connecting, …).
    const dropAgain = () => h.simulator.setScenario("stuck", "drops_and_recovers", { recoverAfterMs: 600_000 });
    let opened: Date | null = null;
    for (let i = 0; i < 14 && !opened; i++) {
      h.clock.advance(30_000);
      await pass();
      if (i % 3 === 2) h.simulator.setScenario("stuck", "stuck_connecting");
      else dropAgain();
      const [row] = await incidents();
      if (row) opened = row.opened_at;
    }
    expect(opened).not.toBeNull();
    expect(opened!.getTime() - lostAt.getTime()).toBeGreaterThanOrEqual(5 * 60_000);
    expect(opened!.getTime() - lostAt.getTime()).toBeLessThan(5 * 60_000 + 30_000);
    const [incident] = await incidents();
    expect(incident).toMatchObject({ kind: "channel", channel_id: id });

    // Back by itself: resolved, and the contact that got the opening gets the resolution with the duration.
    h.simulator.setScenario("stuck", "healthy");
    h.clock.advance(30_000);
    await pass();
    const [resolved] = await incidents();
    expect(resolved.resolved_at).not.toBeNull();
    expect(resolved.active).toBe(0);
    const rows = await outbox();
    expect(rows.map((r) => r.kind)).toEqual(["opened", "resolved"]);
    expect(rows[1].payload.durationSeconds).toBe((resolved.resolved_at!.getTime() - resolved.opened_at.getTime()) / 1000);
    expect(rows[1].payload.durationSeconds).toBeGreaterThan(0);
  });

  it("provider_down opens after 5 minutes, not before", async () => {
    const id = await h.addChannel("only", "healthy");
    await addContact("Ops");
    await upThenDown(() => h.simulator.setScenario("only", "gateway_down", { downMode: "503" }));
    const [status] = await h.sql<{ down_since: Date }[]>`select down_since from public.channel_status where channel_id = ${id}`;
    while (h.clock.now.getTime() - status.down_since.getTime() < 5 * 60_000 - 30_000) {
      h.clock.advance(30_000);
      await pass();
      expect(await incidents()).toEqual([]);
    }
    await passesFor(30_000);
    const [incident] = await incidents();
    // The tenant's only channel on that gateway: as far as it can tell, the gateway is down.
    expect(incident).toMatchObject({ kind: "gateway", state: "provider_down", active: 1 });
    expect((await outbox()).map((r) => r.kind)).toEqual(["opened"]);
  });

  it("a gateway down with 20 channels is one incident per tenant listing them, one alert per contact", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `linha-${i + 1}`);
    const ids: string[] = [];
    for (const name of names) ids.push(await h.addChannel(name, "healthy"));
    const ops = await addContact("Ops");
    const manager = await addContact("Manager", { channelIds: [ids[7]] });
    // Another tenant on the same gateway server: its own incident.
    const other = await insertTenant(h.sql);
    for (const name of ["b-1", "b-2", "b-3"]) {
      h.simulator.addInstance({ name, scenario: "healthy" });
      const channel = await createChannel(h.sql, {
        tenantId: other.id, provider: "evolution", gatewayUrl: h.simulator.url, instanceName: name, apiKey: GATEWAY_KEY, displayName: name,
      }, h.secretKey);
      await h.sql`update public.channel_status set next_check_at = ${h.clock.now}, since = ${h.clock.now} where channel_id = ${channel.id}`;
    }
    const otherContact = await addContact("Other ops", { tenantId: other.id });

    await pass();
    for (const name of [...names, "b-1", "b-2", "b-3"]) h.simulator.setScenario(name, "gateway_down", { downMode: "503" });
    await passesFor(6 * 60_000);

    const open = await incidents();
    expect(open.map((i) => [i.tenant_id, i.kind, i.active])).toEqual(expect.arrayContaining([
      [h.tenantId, "gateway", 20], [other.id, "gateway", 3],
    ]));
    expect(open).toHaveLength(2);
    const mine = open.find((i) => i.tenant_id === h.tenantId)!;
    const opened = await outbox();
    expect(opened.map((r) => [r.contact_id, r.kind]).sort()).toEqual([[manager, "opened"], [ops, "opened"], [otherContact, "opened"]].sort());
    expect(opened.find((r) => r.contact_id === ops)!.payload.channels).toHaveLength(20);

    // One line comes back: it leaves the incident, which stays open for the other 19; nobody is told.
    h.simulator.setScenario("linha-1", "healthy");
    await passesFor(30_000);
    const [afterOne] = (await incidents()).filter((i) => i.id === mine.id);
    expect(afterOne).toMatchObject({ active: 19, members: 20, resolved_at: null });
    expect(await outbox()).toHaveLength(3);

    // The gateway comes back: the last one out resolves it, and each contact that was told hears so once.
    for (const name of names.slice(1)) h.simulator.setScenario(name, "healthy");
    await passesFor(30_000);
    const [resolved] = (await incidents()).filter((i) => i.id === mine.id);
    expect(resolved.resolved_at).not.toBeNull();
    const rows = (await outbox()).filter((r) => r.incident_id === mine.id);
    expect(rows.map((r) => [r.contact_id, r.kind]).sort()).toEqual(
      [[manager, "opened"], [ops, "opened"], [manager, "resolved"], [ops, "resolved"]].sort(),
    );
    console.log(`gateway down, 20 channels, 2 contacts: ${open.filter((i) => i.tenant_id === h.tenantId).length} incident, `
      + `${rows.filter((r) => r.kind === "opened").length} opened + ${rows.filter((r) => r.kind === "resolved").length} resolved outbox rows`);
  });

  it("a channel that turns from provider_down into needs_qr leaves the gateway incident for one of its own", async () => {
    const a = await h.addChannel("a", "healthy");
    await h.addChannel("b", "healthy");
    await pass();
    for (const name of ["a", "b"]) h.simulator.setScenario(name, "gateway_down", { downMode: "503" });
    await passesFor(6 * 60_000);
    expect((await incidents()).map((i) => [i.kind, i.active])).toEqual([["gateway", 2]]);
    h.simulator.setScenario("a", "logged_out");
    await passesFor(30_000);
    const rows = await incidents();
    expect(rows.map((i) => [i.kind, i.channel_id, i.active, i.resolved_at === null])).toEqual([
      ["gateway", null, 1, true], ["channel", a, 1, true],
    ]);
  });

  it("reminds every reminder_hours while unacknowledged, and an admin's acknowledgement stops it", async () => {
    await h.sql`update public.tenants set reminder_hours = 2 where id = ${h.tenantId}`;
    await h.addChannel("qr", "healthy");
    const ops = await addContact("Ops");
    await upThenDown(() => h.simulator.setScenario("qr", "logged_out"));
    const [incident] = await incidents();
    expect(incident.state).toBe("needs_qr");

    h.clock.advance(60 * 60_000);
    await pass();
    expect((await outbox()).map((r) => r.kind)).toEqual(["opened"]);
    h.clock.advance(60 * 60_000);
    await pass();
    h.clock.advance(30 * 60_000);
    await pass();
    h.clock.advance(90 * 60_000);
    await pass();
    expect((await outbox()).map((r) => [r.kind, r.seq, r.contact_id])).toEqual([
      ["opened", 0, ops], ["reminder", 1, ops], ["reminder", 2, ops],
    ]);

    const viewer = await member(h, "viewer");
    expect(await acknowledgeIncident(h.sql, viewer, incident.id, h.clock.now)).toEqual({ status: "forbidden" });
    const admin = await member(h, "admin");
    expect(await acknowledgeIncident(h.sql, admin, incident.id, h.clock.now)).toMatchObject({ status: "done" });
    expect(await acknowledgeIncident(h.sql, admin, incident.id, h.clock.now)).toEqual({ status: "unchanged" });
    const outsider = await member(h, "admin", (await insertTenant(h.sql)).id);
    expect(await acknowledgeIncident(h.sql, outsider, incident.id, h.clock.now)).toEqual({ status: "not_found" });

    h.clock.advance(6 * 60 * 60_000);
    await pass();
    const [acknowledged] = await incidents();
    expect(acknowledged).toMatchObject({ acknowledged_by: admin.sub, reminder_count: 2, resolved_at: null });
    expect((await outbox()).map((r) => r.kind)).toEqual(["opened", "reminder", "reminder"]);
  });

  it("pausing a channel resolves its incident at once", async () => {
    const id = await h.addChannel("paused", "healthy");
    await addContact("Ops");
    await upThenDown(() => h.simulator.setScenario("paused", "replaced"));
    expect((await incidents())[0]).toMatchObject({ state: "replaced", resolved_at: null });
    const admin = await member(h, "admin");
    await setChannelPaused(actionDeps(h), admin, id, true);
    const [resolved] = await incidents();
    expect(resolved.resolved_at).toEqual(h.clock.now);
    expect((await outbox()).map((r) => r.kind)).toEqual(["opened", "resolved"]);
  });

  it("a webhook reporting a logout opens the incident right after the answer, one reporting open resolves it", async () => {
    const id = await h.addChannel("hook", "healthy");
    await addContact("Ops");
    await h.sql`update public.channel_status set state = 'connected', since = now() - interval '1 hour',
      accounted_until = now() - interval '10 seconds' where channel_id = ${id}`;
    const store = createIncidentStore(h.sql);
    const receiver = inProcessReceiver(h.sql, h.secretKey, {
      afterTransition: (channelId) => evaluateChannelIncidents({ store }, channelId, new Date()),
    });
    const secret = await webhookSecretOf(h.sql, h.secretKey, id);
    const loggedOut = await receiver.post(id, connectionEvent("hook", "close", new Date(), 401), { secret });
    expect(await loggedOut.json()).toMatchObject({ outcome: "transition" });
    await Promise.all(receiver.deferred.splice(0));
    expect((await incidents()).map((i) => [i.state, i.resolved_at])).toEqual([["needs_qr", null]]);

    const open = await receiver.post(id, connectionEvent("hook", "open", new Date(Date.now() + 1000)), { secret });
    expect(await open.json()).toMatchObject({ outcome: "transition" });
    await Promise.all(receiver.deferred.splice(0));
    expect((await incidents())[0].resolved_at).not.toBeNull();
    expect((await outbox()).map((r) => r.kind)).toEqual(["opened", "resolved"]);
  });

  it("8 overlapping passes open one incident and queue each alert once", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `c-${i}`);
    for (const name of names) await h.addChannel(name, "healthy");
    await addContact("Ops");
    await addContact("Owner");
    await pass();
    for (const name of names) h.simulator.setScenario(name, "gateway_down", { downMode: "503" });
    await passesFor(4 * 60_000 + 30_000);
    expect(await incidents()).toEqual([]);
    h.clock.advance(60_000);
    await Promise.all(Array.from({ length: 8 }, () => h.pass({ all: true }, { afterWrites: step() })));
    await Promise.all(Array.from({ length: 8 }, () => evaluateIncidents({ store: createIncidentStore(h.sql) }, { now: h.clock.now })));
    expect((await incidents()).map((i) => [i.kind, i.active])).toEqual([["gateway", 20]]);
    expect((await outbox()).map((r) => r.kind)).toEqual(["opened", "opened"]);
  });

  it("a failing incident step is recorded on the run and never fails the pass", async () => {
    await h.addChannel("any", "logged_out");
    const broken = createIncidentStore(h.sql);
    broken.locked = async () => {
      throw new Error("incident store unavailable");
    };
    const summary = await h.pass({}, { afterWrites: incidentStep({ store: broken }) });
    expect(summary).toMatchObject({ ok: true, checked: 1 });
    const [run] = await h.sql`select error, incidents_error from public.monitor_runs where id = ${summary.runId}`;
    expect(run).toEqual({ error: null, incidents_error: "incidents: incident store unavailable" });
    // The next pass with a working step catches up.
    h.clock.advance(30_000);
    await pass();
    expect(await incidents()).toHaveLength(1);
  });
});
