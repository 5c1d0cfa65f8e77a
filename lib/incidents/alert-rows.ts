import { isCriticalIncident, type AlertingState } from "@/lib/incidents/incident-states";
import type {
  AlertPayload, IncidentKind, OutboxKind, PlannedOutboxRow, SnapshotChannel, SnapshotContact, SnapshotGateway, SnapshotTenant,
} from "@/lib/incidents/types";

/** An incident as a message describes it: its channels are the ones it has at that moment. */
export interface IncidentView {
  id: string;
  tenant: SnapshotTenant;
  kind: IncidentKind;
  gateway: SnapshotGateway | null;
  state: AlertingState;
  statesSeen: AlertingState[];
  openedAt: Date;
  channels: { channel: SnapshotChannel; state: AlertingState }[];
}

/** Does the contact want to hear about this incident? Null filters mean every channel / every state. */
export function contactWants(contact: SnapshotContact, incident: Pick<IncidentView, "state" | "channels">): boolean {
  if (contact.states && !contact.states.includes(incident.state)) return false;
  if (contact.channelIds) {
    const wanted = new Set(contact.channelIds);
    if (!incident.channels.some(({ channel }) => wanted.has(channel.channelId))) return false;
  }
  return true;
}

export function alertPayload(
  incident: IncidentView,
  message: { kind: OutboxKind; resolvedAt?: Date; reminder?: number },
): AlertPayload {
  const resolvedAt = message.kind === "resolved" ? (message.resolvedAt ?? null) : null;
  return {
    incidentId: incident.id,
    kind: incident.kind,
    state: incident.state,
    statesSeen: incident.statesSeen,
    critical: isCriticalIncident(incident),
    tenant: { id: incident.tenant.id, name: incident.tenant.name, timezone: incident.tenant.timezone },
    gateway: incident.gateway && { id: incident.gateway.id, name: incident.gateway.name },
    channels: incident.channels.map(({ channel, state }) => ({
      id: channel.channelId,
      name: channel.name,
      phoneNumber: channel.phoneNumber,
      state,
      path: `/channels/${channel.channelId}`,
      // The re-pair panel brought into view (lib/alerts/alert-links.ts: ?pair=1, its heading #qr-title).
      qrPath: state === "needs_qr" ? `/channels/${channel.channelId}?pair=1#qr-title` : null,
    })),
    openedAt: incident.openedAt.toISOString(),
    resolvedAt: resolvedAt && resolvedAt.toISOString(),
    durationSeconds: resolvedAt && Math.round((resolvedAt.getTime() - incident.openedAt.getTime()) / 1000),
    reminder: message.kind === "reminder" ? (message.reminder ?? null) : null,
    incidentsPath: `/incidents?status=${message.kind === "resolved" ? "resolved" : "open"}`,
  };
}

/** One row per contact; seq is the reminder's number, 0 otherwise (the outbox's unique key). */
export function outboxRows(
  incident: IncidentView,
  contactIds: readonly string[],
  message: { kind: OutboxKind; resolvedAt?: Date; reminder?: number },
): PlannedOutboxRow[] {
  if (contactIds.length === 0) return [];
  const payload = alertPayload(incident, message);
  return contactIds.map((contactId) => ({
    incidentId: incident.id,
    tenantId: incident.tenant.id,
    contactId,
    kind: message.kind,
    seq: message.kind === "reminder" ? (message.reminder ?? 0) : 0,
    payload,
  }));
}
