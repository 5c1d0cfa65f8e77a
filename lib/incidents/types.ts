import type { AlertingState } from "@/lib/incidents/incident-states";
import type { ChannelState } from "@/lib/monitor/states";

export type IncidentKind = "channel" | "gateway";
export type OutboxKind = "opened" | "reminder" | "resolved";

/** A channel as the incident step sees it: out of service, or an active member of an open incident. */
export interface SnapshotChannel {
  channelId: string;
  tenantId: string;
  gatewayId: string;
  name: string;
  phoneNumber: string | null;
  state: ChannelState;
  /** When it left service (channel_status.down_since); null while in service. */
  downSince: Date | null;
  monitoringEnabled: boolean;
}

export interface IncidentMember {
  channelId: string;
  state: AlertingState;
  joinedAt: Date;
}

export interface OpenIncident {
  id: string;
  tenantId: string;
  kind: IncidentKind;
  channelId: string | null;
  gatewayId: string | null;
  state: AlertingState;
  statesSeen: AlertingState[];
  openedAt: Date;
  acknowledgedAt: Date | null;
  lastReminderAt: Date | null;
  reminderCount: number;
  /** Active members (left_at null). */
  members: IncidentMember[];
  /** Contacts an 'opened' row was queued for: only they get reminders and the resolution. */
  openedContactIds: string[];
}

/** An enabled contact; null filters mean "all". */
export interface SnapshotContact {
  id: string;
  tenantId: string;
  channelIds: string[] | null;
  states: string[] | null;
}

export interface SnapshotTenant {
  id: string;
  name: string;
  timezone: string;
  /** 0: no reminders. */
  reminderHours: number;
}

export interface SnapshotGateway {
  id: string;
  name: string;
}

/** Everything one evaluation decides from, read in its transaction. */
export interface IncidentSnapshot {
  channels: SnapshotChannel[];
  /** Monitored channels per (tenant, gateway), for every gateway with a provider_down channel. */
  channelsPerGateway: { tenantId: string; gatewayId: string; count: number }[];
  incidents: OpenIncident[];
  contacts: SnapshotContact[];
  tenants: SnapshotTenant[];
  gateways: SnapshotGateway[];
}

/** What an alert says, fixed when its row is queued; the sender renders it in the contact's language. */
export interface AlertPayload {
  incidentId: string;
  kind: IncidentKind;
  state: AlertingState;
  statesSeen: AlertingState[];
  /** A person must act (quiet hours may give way). */
  critical: boolean;
  tenant: { id: string; name: string; timezone: string };
  gateway: { id: string; name: string } | null;
  /** The incident's channels at the time of the message; paths are relative to APP_URL. */
  channels: { id: string; name: string; phoneNumber: string | null; state: AlertingState; path: string; qrPath: string | null }[];
  openedAt: string;
  resolvedAt: string | null;
  durationSeconds: number | null;
  /** 1, 2, … for reminders. */
  reminder: number | null;
  incidentsPath: string;
}

export interface NewIncident {
  id: string;
  tenantId: string;
  kind: IncidentKind;
  channelId: string | null;
  gatewayId: string | null;
  state: AlertingState;
  statesSeen: AlertingState[];
  members: { channelId: string; state: AlertingState }[];
}

export interface PlannedOutboxRow {
  incidentId: string;
  tenantId: string;
  contactId: string;
  kind: OutboxKind;
  seq: number;
  payload: AlertPayload;
}

/** What one evaluation writes, all in its transaction. */
export interface IncidentPlan {
  open: NewIncident[];
  /** New state / states seen of incidents that stay open. */
  update: { id: string; state: AlertingState; statesSeen: AlertingState[] }[];
  join: { incidentId: string; tenantId: string; channelId: string; state: AlertingState }[];
  leave: { incidentId: string; channelId: string }[];
  memberStates: { incidentId: string; channelId: string; state: AlertingState }[];
  resolve: string[];
  /** reminderCount is the new count (the reminder's seq). */
  remind: { id: string; reminderCount: number }[];
  outbox: PlannedOutboxRow[];
}

export interface IncidentSummary {
  opened: number;
  resolved: number;
  joined: number;
  left: number;
  reminded: number;
  outboxRows: number;
}

export type IncidentScope = { all: true } | { channelId: string };

/** The step's database side (lib/db/incidents-store.ts). */
export interface IncidentStore {
  /** Runs fn in one transaction holding the incident lock: evaluations never overlap. */
  locked<T>(fn: (tx: IncidentTx) => Promise<T>): Promise<T>;
  /** Keeps what went wrong on the pass's run (monitor_runs.incidents_error). */
  recordError(runId: string, message: string): Promise<void>;
}

export interface IncidentTx {
  /** Every tenant, or the one a channel belongs to (a webhook or a person just changed that channel). */
  loadSnapshot(scope: IncidentScope): Promise<IncidentSnapshot>;
  /** Writes the plan; outbox rows only follow incident writes that really happened. */
  applyPlan(plan: IncidentPlan, now: Date): Promise<IncidentSummary>;
}
