import type { Db } from "@/lib/db/client";
import { periodStart, type IncidentFilters } from "@/lib/incidents/incident-filters";
import type { AlertingState } from "@/lib/incidents/incident-states";
import type { IncidentKind } from "@/lib/incidents/types";

/**
 * What people read about incidents: /incidents (and its CSV export) and the channel page. Every query
 * runs as the signed-in user (RLS decides which tenants' rows exist) and also filters by the tenant or
 * channel asked for.
 */

/** What every incident row people read carries. */
interface IncidentRowBase {
  id: string;
  kind: IncidentKind;
  state: AlertingState;
  statesSeen: AlertingState[];
  openedAt: Date;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
}

export interface IncidentListRow extends IncidentRowBase {
  /** E-mail of the admin who acknowledged (null if unknown or not acknowledged). */
  acknowledgedBy: string | null;
  gatewayName: string | null;
  reminderCount: number;
  /** Every channel it had, the ones that left included (leftAt set; null while still in it). */
  channels: { id: string; name: string; state: AlertingState; leftAt: Date | null }[];
}

export async function listIncidents(
  db: Db,
  input: { tenantId: string; filters: IncidentFilters; now: Date; limit: number },
): Promise<IncidentListRow[]> {
  const { tenantId, filters, now, limit } = input;
  const rows = await db<(Omit<IncidentListRow, "channels"> & { channels: { id: string; name: string; state: AlertingState; leftAt: string | null }[] })[]>`
    select i.id, i.kind, i.state, i.states_seen as "statesSeen", i.opened_at as "openedAt", i.resolved_at as "resolvedAt",
      i.acknowledged_at as "acknowledgedAt", a.email as "acknowledgedBy", i.reminder_count as "reminderCount",
      -- Platform gateways are not readable by tenant members: their host, from a channel of this tenant, stands in.
      case when i.gateway_id is not null then coalesce(g.name, (
        select substring(c.gateway_url from '://([^/]+)') from public.channels c where c.gateway_id = i.gateway_id limit 1
      )) end as "gatewayName",
      coalesce((
        select json_agg(json_build_object('id', c.id, 'name', c.display_name, 'state', m.state, 'leftAt', m.left_at)
          order by m.left_at is not null, c.display_name)
        from public.incident_channels m join public.channels c on c.id = m.channel_id
        where m.incident_id = i.id
      ), '[]'::json) as channels
    from public.incidents i
    left join public.gateways g on g.id = i.gateway_id
    left join public.incident_acknowledgers(${tenantId}) a on a.user_id = i.acknowledged_by
    where i.tenant_id = ${tenantId}
      and (i.resolved_at is null or i.resolved_at >= ${periodStart(filters.period, now)})
      and (${filters.status} = 'all' or (${filters.status} = 'open') = (i.resolved_at is null))
      and (${filters.state}::text is null or ${filters.state}::text = any(i.states_seen))
      and (${filters.channelId}::uuid is null or exists (
        select 1 from public.incident_channels m where m.incident_id = i.id and m.channel_id = ${filters.channelId}::uuid))
    order by i.resolved_at is null desc, i.opened_at desc, i.id
    limit ${limit}
  `;
  return rows.map((row) => ({
    ...row,
    channels: row.channels.map((c) => ({ ...c, leftAt: c.leftAt ? new Date(c.leftAt) : null })),
  }));
}

export interface ChannelIncidentRow extends IncidentRowBase {
  /** This channel's time in the incident (a gateway incident may have begun before it joined). */
  joinedAt: Date;
  leftAt: Date | null;
  /** Channels the incident had in all (1 for a channel incident). */
  channelCount: number;
}

export async function listChannelIncidents(db: Db, channelId: string, limit: number): Promise<ChannelIncidentRow[]> {
  return db<ChannelIncidentRow[]>`
    select i.id, i.kind, i.state, i.states_seen as "statesSeen", i.opened_at as "openedAt", i.resolved_at as "resolvedAt",
      i.acknowledged_at as "acknowledgedAt", min(m.joined_at) as "joinedAt",
      case when bool_or(m.left_at is null) then null else max(m.left_at) end as "leftAt",
      (select count(distinct o.channel_id)::int from public.incident_channels o where o.incident_id = i.id) as "channelCount"
    from public.incident_channels m join public.incidents i on i.id = m.incident_id
    where m.channel_id = ${channelId}
    group by i.id
    order by i.opened_at desc
    limit ${limit}
  `;
}

export interface SentAlertRow {
  id: string;
  incidentId: string;
  kind: "opened" | "reminder" | "resolved";
  seq: number;
  status: "pending" | "sending" | "sent" | "failed";
  attempts: number;
  contactName: string;
  contactKind: "email" | "webhook" | "slack" | "whatsapp";
  createdAt: Date;
  sentAt: Date | null;
}

/** What was sent to whom and when, for the incidents this channel was in (newest first). */
export async function listChannelAlerts(db: Db, channelId: string, limit: number): Promise<SentAlertRow[]> {
  return db<SentAlertRow[]>`
    select o.id::text, o.incident_id as "incidentId", o.kind, o.seq, o.status, o.attempts, c.name as "contactName",
      c.kind as "contactKind", o.created_at as "createdAt", o.sent_at as "sentAt"
    from public.alert_outbox o join public.alert_contacts c on c.id = o.contact_id
    where o.incident_id in (select m.incident_id from public.incident_channels m where m.channel_id = ${channelId})
    order by o.id desc
    limit ${limit}
  `;
}
