import { contactWants, outboxRows, type IncidentView } from "@/lib/incidents/alert-rows";
import { endsIncident, isAlertingState, isPastGrace, worstState, type AlertingState } from "@/lib/incidents/incident-states";
import type {
  IncidentPlan, IncidentSnapshot, NewIncident, OpenIncident, SnapshotChannel, SnapshotContact, SnapshotTenant,
} from "@/lib/incidents/types";

/**
 * Decides, from what the database holds now, which incidents open, which channels join or leave them,
 * which resolve, which are reminded, and which alerts are queued. Data in, plan out: no I/O, time given.
 *
 * Rules (issue 11):
 * - A channel out of service gets an incident once its state's grace has run out, counted from when it
 *   left service (lib/incidents/incident-states.ts). Opening after a grace therefore happens in
 *   whichever evaluation first sees the grace over, not at the transition.
 * - Gateway down: a tenant's provider_down channels on one gateway share ONE gateway incident when at
 *   least two of them are provider_down, or when that channel is the tenant's only monitored channel on
 *   the gateway (as far as this tenant can tell, the gateway is what is down). A lone provider_down
 *   channel among healthy ones on the same gateway is that instance's own trouble: a channel incident.
 *   Once a gateway incident is open, every provider_down channel of the tenant on that gateway joins it
 *   (no grace: the gateway is known to be down); a channel leaves when it is no longer provider_down;
 *   the incident resolves when its last channel leaves.
 * - A channel stays in the incident it is in: one already in its own incident that then goes
 *   provider_down stays there (it is the same outage to whoever is fixing it); one in a gateway
 *   incident that turns into anything but provider_down leaves it and gets its own (at once, since its
 *   grace has long run out).
 * - An incident resolves when its channel(s) are connected again or paused (or removed); `unknown` (not
 *   checked yet) changes nothing.
 * - Alerts: 'opened' to every enabled contact whose channel and state filters match, when the incident
 *   opens and again whenever it changes (state or channels) for contacts that match only now; reminders
 *   every tenant's reminder_hours while open and unacknowledged, and 'resolved' (with the duration),
 *   both only to contacts that got the opening. The outbox's unique key makes a repeated row a no-op.
 */
export function decideIncidents(snapshot: IncidentSnapshot, now: Date, newId: () => string): IncidentPlan {
  const plan: IncidentPlan = { open: [], update: [], join: [], leave: [], memberStates: [], resolve: [], remind: [], outbox: [] };
  const channels = new Map(snapshot.channels.map((c) => [c.channelId, c]));
  const tenants = new Map(snapshot.tenants.map((t) => [t.id, t]));
  const gateways = new Map(snapshot.gateways.map((g) => [g.id, g]));
  const contactsOf = groupBy(snapshot.contacts, (c) => c.tenantId);
  const view = viewBuilder(tenants, gateways);

  // 1. Open incidents: who stays, who leaves; resolve the empty ones.
  const placed = new Set<string>();
  const openGatewayIncidents = new Map<string, { incident: OpenIncident; stay: Stay[] }>();
  const staying: { incident: OpenIncident; stay: Stay[]; changed: boolean }[] = [];
  for (const incident of snapshot.incidents) {
    const stay: Stay[] = [];
    let changed = false;
    for (const member of incident.members) {
      const channel = channels.get(member.channelId);
      if (channel && staysIn(incident, channel)) {
        const state = isAlertingState(channel.state) ? channel.state : member.state;
        if (state !== member.state) {
          plan.memberStates.push({ incidentId: incident.id, channelId: channel.channelId, state });
        }
        stay.push({ channel, state });
        placed.add(channel.channelId);
      } else {
        plan.leave.push({ incidentId: incident.id, channelId: member.channelId });
        changed = true;
      }
    }
    if (stay.length === 0) {
      resolve(plan, incident, view(incident, incident.members.flatMap(memberAsStay(channels))), contactsOf, now);
      continue;
    }
    staying.push({ incident, stay, changed });
    if (incident.kind === "gateway") openGatewayIncidents.set(gatewayKey(incident.tenantId, incident.gatewayId!), { incident, stay });
  }

  // 2. Channels out of service and in no incident: join an open gateway incident, or open one.
  const free = snapshot.channels.filter(
    (c): c is SnapshotChannel & { state: AlertingState } => c.monitoringEnabled && isAlertingState(c.state) && !placed.has(c.channelId),
  );
  const joined = new Map<string, Stay[]>();
  const gatewayCandidates = new Map<string, Stay[]>();
  for (const channel of free) {
    if (channel.state === "provider_down") {
      const key = gatewayKey(channel.tenantId, channel.gatewayId);
      const open = openGatewayIncidents.get(key);
      if (open) {
        const list = joined.get(open.incident.id) ?? [];
        list.push({ channel, state: channel.state });
        joined.set(open.incident.id, list);
        continue;
      }
      if (groupsByGateway(snapshot, channel)) {
        const list = gatewayCandidates.get(key) ?? [];
        list.push({ channel, state: channel.state });
        gatewayCandidates.set(key, list);
        continue;
      }
    }
    if (isPastGrace(channel.state, channel.downSince ?? now, now)) {
      openIncident(plan, { kind: "channel", channelId: channel.channelId, gatewayId: null, tenantId: channel.tenantId },
        [{ channel, state: channel.state }], newId(), now, view, contactsOf);
    }
  }
  for (const members of gatewayCandidates.values()) {
    if (!members.some(({ channel, state }) => isPastGrace(state, channel.downSince ?? now, now))) continue;
    const { tenantId, gatewayId } = members[0].channel;
    openIncident(plan, { kind: "gateway", channelId: null, gatewayId, tenantId }, members, newId(), now, view, contactsOf);
  }

  // 3. Incidents that stay open: new channels, new state, reminders; openings for contacts matching only now.
  for (const { incident, stay, changed } of staying) {
    const joining = joined.get(incident.id) ?? [];
    for (const { channel, state } of joining) {
      plan.join.push({ incidentId: incident.id, tenantId: incident.tenantId, channelId: channel.channelId, state });
    }
    const members = [...stay, ...joining];
    const state = worstState(members.map((m) => m.state));
    const statesSeen = union(incident.statesSeen, members.map((m) => m.state));
    const stateChanged = state !== incident.state || statesSeen.length !== incident.statesSeen.length;
    if (stateChanged) plan.update.push({ id: incident.id, state, statesSeen });
    const current = view({ ...incident, state, statesSeen }, members);
    if (stateChanged || changed || joining.length > 0) {
      const already = new Set(incident.openedContactIds);
      const newcomers = wanting(contactsOf.get(incident.tenantId), current).filter((id) => !already.has(id));
      plan.outbox.push(...outboxRows(current, newcomers, { kind: "opened" }));
    }
    const reminder = reminderDue(incident, tenants.get(incident.tenantId), now);
    if (reminder !== null) {
      plan.remind.push({ id: incident.id, reminderCount: reminder });
      plan.outbox.push(...outboxRows(current, enabledOf(incident, contactsOf), { kind: "reminder", reminder }));
    }
  }
  return plan;
}

interface Stay {
  channel: SnapshotChannel;
  state: AlertingState;
}

type ViewOf = (incident: Pick<OpenIncident, "id" | "tenantId" | "kind" | "gatewayId" | "state" | "statesSeen"> & { openedAt: Date }, members: Stay[]) => IncidentView;

function viewBuilder(tenants: Map<string, SnapshotTenant>, gateways: Map<string, { id: string; name: string }>): ViewOf {
  return (incident, members) => ({
    id: incident.id,
    tenant: tenants.get(incident.tenantId) ?? { id: incident.tenantId, name: "", timezone: "UTC", reminderHours: 0 },
    kind: incident.kind,
    gateway: incident.gatewayId ? (gateways.get(incident.gatewayId) ?? { id: incident.gatewayId, name: "" }) : null,
    state: incident.state,
    statesSeen: incident.statesSeen,
    openedAt: incident.openedAt,
    channels: members,
  });
}

/** A member stays while it is out of service in a way that belongs to this incident (or not checked yet). */
function staysIn(incident: OpenIncident, channel: SnapshotChannel): boolean {
  if (!channel.monitoringEnabled || endsIncident(channel.state)) return false;
  if (incident.kind === "channel") return true;
  return channel.gatewayId === incident.gatewayId && (channel.state === "provider_down" || channel.state === "unknown");
}

/** The tenant's provider_down channels on this gateway share one incident: see the rules above. */
function groupsByGateway(snapshot: IncidentSnapshot, channel: SnapshotChannel): boolean {
  const down = snapshot.channels.filter(
    (c) => c.tenantId === channel.tenantId && c.gatewayId === channel.gatewayId && c.monitoringEnabled && c.state === "provider_down",
  ).length;
  if (down >= 2) return true;
  const all = snapshot.channelsPerGateway.find((g) => g.tenantId === channel.tenantId && g.gatewayId === channel.gatewayId);
  return (all?.count ?? 1) <= 1;
}

function openIncident(
  plan: IncidentPlan,
  subject: Pick<NewIncident, "kind" | "channelId" | "gatewayId" | "tenantId">,
  members: Stay[],
  id: string,
  now: Date,
  view: ViewOf,
  contactsOf: Map<string, SnapshotContact[]>,
): void {
  const state = worstState(members.map((m) => m.state));
  const statesSeen = union([], members.map((m) => m.state));
  plan.open.push({ id, ...subject, state, statesSeen, members: members.map(({ channel, state }) => ({ channelId: channel.channelId, state })) });
  const current = view({ id, ...subject, state, statesSeen, openedAt: now }, members);
  plan.outbox.push(...outboxRows(current, wanting(contactsOf.get(subject.tenantId), current), { kind: "opened" }));
}

function resolve(plan: IncidentPlan, incident: OpenIncident, last: IncidentView, contactsOf: Map<string, SnapshotContact[]>, now: Date) {
  plan.resolve.push(incident.id);
  plan.outbox.push(...outboxRows(last, enabledOf(incident, contactsOf), { kind: "resolved", resolvedAt: now }));
}

/** The members as they last were, for the resolution message (a removed channel is left out). */
function memberAsStay(channels: Map<string, SnapshotChannel>) {
  return (member: OpenIncident["members"][number]): Stay[] => {
    const channel = channels.get(member.channelId);
    return channel ? [{ channel, state: member.state }] : [];
  };
}

/** The number of the reminder due now, or null: every reminder_hours since the opening or the last one. */
function reminderDue(incident: OpenIncident, tenant: SnapshotTenant | undefined, now: Date): number | null {
  if (!tenant || tenant.reminderHours <= 0 || incident.acknowledgedAt) return null;
  const last = incident.lastReminderAt ?? incident.openedAt;
  return now.getTime() - last.getTime() >= tenant.reminderHours * 3_600_000 ? incident.reminderCount + 1 : null;
}

function wanting(contacts: SnapshotContact[] | undefined, incident: IncidentView): string[] {
  return (contacts ?? []).filter((c) => contactWants(c, incident)).map((c) => c.id);
}

/** Contacts that got the opening and are still enabled. */
function enabledOf(incident: OpenIncident, contactsOf: Map<string, SnapshotContact[]>): string[] {
  const enabled = new Set((contactsOf.get(incident.tenantId) ?? []).map((c) => c.id));
  return incident.openedContactIds.filter((id) => enabled.has(id));
}

function gatewayKey(tenantId: string, gatewayId: string): string {
  return `${tenantId}/${gatewayId}`;
}

function union(seen: readonly AlertingState[], more: readonly AlertingState[]): AlertingState[] {
  const out = [...seen];
  for (const state of more) if (!out.includes(state)) out.push(state);
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item)) ?? [];
    list.push(item);
    out.set(key(item), list);
  }
  return out;
}
