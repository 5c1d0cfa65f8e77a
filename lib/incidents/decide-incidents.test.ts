import { describe, expect, it } from "vitest";
import { decideIncidents } from "@/lib/incidents/decide-incidents";
import type { IncidentSnapshot, OpenIncident, SnapshotChannel, SnapshotContact } from "@/lib/incidents/types";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const TENANT = "t1";
const GW = "gw1";

function channel(id: string, overrides: Partial<SnapshotChannel> = {}): SnapshotChannel {
  return {
    channelId: id, tenantId: TENANT, gatewayId: GW, name: id, phoneNumber: null, state: "provider_down", downSince: ago(10),
    monitoringEnabled: true, ...overrides,
  };
}

function incident(overrides: Partial<OpenIncident> = {}): OpenIncident {
  return {
    id: "i1", tenantId: TENANT, kind: "channel", channelId: "a", gatewayId: null, state: "needs_qr", statesSeen: ["needs_qr"],
    openedAt: ago(30), acknowledgedAt: null, lastReminderAt: null, reminderCount: 0,
    members: [{ channelId: "a", state: "needs_qr", joinedAt: ago(30) }], openedContactIds: [], ...overrides,
  };
}

function snapshot(parts: Partial<IncidentSnapshot>): IncidentSnapshot {
  return {
    channels: [], channelsPerGateway: [{ tenantId: TENANT, gatewayId: GW, count: 10 }], incidents: [], contacts: [],
    tenants: [{ id: TENANT, name: "Pousada", timezone: "America/Sao_Paulo", reminderHours: 4 }],
    gateways: [{ id: GW, name: "gw" }], ...parts,
  };
}

let counter = 0;
const newId = () => `new-${++counter}`;
const contact = (id: string, overrides: Partial<SnapshotContact> = {}): SnapshotContact => ({
  id, tenantId: TENANT, channelIds: null, states: null, ...overrides,
});

describe("decideIncidents", () => {
  it("a lone provider_down line among healthy ones on its gateway is its own incident", () => {
    const plan = decideIncidents(snapshot({ channels: [channel("a")] }), NOW, newId);
    expect(plan.open.map((i) => [i.kind, i.channelId])).toEqual([["channel", "a"]]);
  });

  it("two provider_down lines of a tenant on one gateway share one gateway incident, even if one is still in grace", () => {
    const plan = decideIncidents(snapshot({ channels: [channel("a"), channel("b", { downSince: ago(1) })] }), NOW, newId);
    expect(plan.open).toHaveLength(1);
    expect(plan.open[0]).toMatchObject({ kind: "gateway", gatewayId: GW, channelId: null });
    expect(plan.open[0].members.map((m) => m.channelId)).toEqual(["a", "b"]);
  });

  it("no gateway incident while every provider_down line is still in grace", () => {
    const plan = decideIncidents(snapshot({ channels: [channel("a", { downSince: ago(4) }), channel("b", { downSince: ago(2) })] }), NOW, newId);
    expect(plan.open).toEqual([]);
  });

  it("a line already in its own incident stays there when it goes provider_down", () => {
    const plan = decideIncidents(snapshot({
      channels: [channel("a"), channel("b"), channel("c")],
      incidents: [incident()],
    }), NOW, newId);
    expect(plan.leave).toEqual([]);
    expect(plan.memberStates).toEqual([{ incidentId: "i1", channelId: "a", state: "provider_down" }]);
    expect(plan.update).toEqual([{ id: "i1", state: "provider_down", statesSeen: ["needs_qr", "provider_down"] }]);
    expect(plan.open.map((i) => [i.kind, i.members.length])).toEqual([["gateway", 2]]);
  });

  it("a line not checked yet (unknown) keeps its incident open", () => {
    const plan = decideIncidents(snapshot({ channels: [channel("a", { state: "unknown", downSince: null })], incidents: [incident()] }), NOW, newId);
    expect(plan).toMatchObject({ resolve: [], leave: [], update: [] });
  });

  it("a paused or removed line resolves its incident; only contacts that got the opening hear it", () => {
    const plan = decideIncidents(snapshot({
      channels: [channel("a", { state: "paused", downSince: null })],
      incidents: [incident({ openedContactIds: ["c1"] })],
      contacts: [contact("c1"), contact("c2")],
    }), NOW, newId);
    expect(plan.resolve).toEqual(["i1"]);
    expect(plan.outbox.map((r) => [r.contactId, r.kind])).toEqual([["c1", "resolved"]]);
    expect(plan.outbox[0].payload.durationSeconds).toBe(30 * 60);
    expect(decideIncidents(snapshot({ incidents: [incident()] }), NOW, newId).resolve).toEqual(["i1"]);
  });

  it("when an incident gets worse, contacts that match only now get the opening", () => {
    const plan = decideIncidents(snapshot({
      channels: [channel("a", { state: "needs_qr" })],
      incidents: [incident({ state: "disconnected", statesSeen: ["disconnected"], openedContactIds: ["all"],
        members: [{ channelId: "a", state: "disconnected", joinedAt: ago(30) }] })],
      contacts: [contact("all"), contact("qr-only", { states: ["needs_qr"] }), contact("other", { channelIds: ["z"] })],
    }), NOW, newId);
    expect(plan.outbox.map((r) => [r.contactId, r.kind])).toEqual([["qr-only", "opened"]]);
  });

  it("one reminder however long no pass ran, none once acknowledged or with reminders off", () => {
    const late = decideIncidents(snapshot({
      channels: [channel("a", { state: "needs_qr" })],
      incidents: [incident({ openedAt: ago(13 * 60), lastReminderAt: ago(9 * 60), reminderCount: 1, openedContactIds: ["c1"] })],
      contacts: [contact("c1")],
    }), NOW, newId);
    expect(late.remind).toEqual([{ id: "i1", reminderCount: 2 }]);
    expect(late.outbox.map((r) => [r.kind, r.seq])).toEqual([["reminder", 2]]);

    const acknowledged = decideIncidents(snapshot({
      channels: [channel("a", { state: "needs_qr" })],
      incidents: [incident({ openedAt: ago(13 * 60), acknowledgedAt: ago(60) })],
    }), NOW, newId);
    expect(acknowledged.remind).toEqual([]);
    const off = decideIncidents(snapshot({
      channels: [channel("a", { state: "needs_qr" })], incidents: [incident({ openedAt: ago(13 * 60) })],
      tenants: [{ id: TENANT, name: "P", timezone: "UTC", reminderHours: 0 }],
    }), NOW, newId);
    expect(off.remind).toEqual([]);
  });

  it("a disabled channel opens nothing", () => {
    expect(decideIncidents(snapshot({ channels: [channel("a", { state: "needs_qr", monitoringEnabled: false })] }), NOW, newId).open).toEqual([]);
  });
});
