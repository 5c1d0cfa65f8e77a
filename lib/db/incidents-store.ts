import type { Db, Sql } from "@/lib/db/client";
import type { AlertingState } from "@/lib/incidents/incident-states";
import type {
  IncidentPlan, IncidentSnapshot, IncidentStore, IncidentSummary, IncidentTx, OpenIncident, SnapshotChannel,
} from "@/lib/incidents/types";

/**
 * The incident step's database side (service path). One evaluation is one transaction holding one
 * advisory lock: overlapping passes (and webhook-triggered evaluations) take turns, each reading what
 * the previous one committed, so a decision is never made twice from the same picture. The unique keys
 * (one open incident per channel and per tenant+gateway, one active membership per channel, one outbox
 * row per incident+contact+kind+seq) hold even without the lock; every insert does nothing on conflict.
 * Each write is one statement for the whole plan, skipped when it has nothing to write.
 */

/** pg_advisory_xact_lock key of the incident step (any constant no other lock in Sentinela uses). */
const INCIDENT_LOCK_KEY = "5264311011";
/** A stuck evaluation must not hold every later pass: they give up waiting and record why. */
const LOCK_WAIT = "20s";

const json = (value: unknown) => JSON.stringify(value);
const EMPTY: IncidentSnapshot = { channels: [], channelsPerGateway: [], incidents: [], contacts: [], tenants: [], gateways: [] };
const DATE_FIELDS = ["downSince", "openedAt", "acknowledgedAt", "lastReminderAt"] as const;

export function createIncidentStore(sql: Sql): IncidentStore {
  return {
    async locked(fn) {
      return (await sql.begin(async (tx) => {
        await tx`select set_config('lock_timeout', ${LOCK_WAIT}, true)`;
        await tx`select pg_advisory_xact_lock(${INCIDENT_LOCK_KEY}::bigint)`;
        return fn(incidentTx(tx));
      })) as Awaited<ReturnType<typeof fn>>;
    },
    async recordError(runId, message) {
      await sql`update public.monitor_runs set incidents_error = ${message.slice(0, 1000)} where id = ${runId}`;
    },
  };
}

function incidentTx(db: Db): IncidentTx {
  return {
    async loadSnapshot(scope) {
      if ("all" in scope) return loadSnapshot(db, null);
      const [channel] = await db<{ tenantId: string }[]>`
        select tenant_id as "tenantId" from public.channels where id = ${scope.channelId}
      `;
      return channel ? loadSnapshot(db, channel.tenantId) : EMPTY;
    },
    applyPlan: (plan, now) => applyPlan(db, plan, now),
  };
}

async function loadSnapshot(db: Db, tenantId: string | null): Promise<IncidentSnapshot> {
  const channels = await db<SnapshotChannel[]>`
    select c.id as "channelId", c.tenant_id as "tenantId", c.gateway_id as "gatewayId", c.display_name as name,
      c.phone_number as "phoneNumber", s.state, s.down_since as "downSince", c.monitoring_enabled as "monitoringEnabled"
    from public.channels c join public.channel_status s on s.channel_id = c.id
    where (${tenantId}::uuid is null or c.tenant_id = ${tenantId}::uuid)
      and (public.is_alerting_state(s.state)
        or exists (select 1 from public.incident_channels m where m.channel_id = c.id and m.left_at is null))
  `;
  const incidents = (await db<OpenIncident[]>`
    select i.id, i.tenant_id as "tenantId", i.kind, i.channel_id as "channelId", i.gateway_id as "gatewayId", i.state,
      i.states_seen as "statesSeen", i.opened_at as "openedAt", i.acknowledged_at as "acknowledgedAt",
      i.last_reminder_at as "lastReminderAt", i.reminder_count as "reminderCount",
      coalesce((
        select json_agg(json_build_object('channelId', m.channel_id, 'state', m.state, 'joinedAt', m.joined_at) order by m.id)
        from public.incident_channels m where m.incident_id = i.id and m.left_at is null
      ), '[]'::json) as members,
      array(
        select o.contact_id from public.alert_outbox o where o.incident_id = i.id and o.kind = 'opened' order by o.id
      )::text[] as "openedContactIds"
    from public.incidents i
    where i.resolved_at is null and (${tenantId}::uuid is null or i.tenant_id = ${tenantId}::uuid)
  `).map((incident) => ({
    ...incident,
    members: (incident.members as unknown as { channelId: string; state: AlertingState; joinedAt: string }[]).map((m) => ({
      ...m, joinedAt: new Date(m.joinedAt),
    })),
  }));

  const tenantIds = [...new Set([...channels.map((c) => c.tenantId), ...incidents.map((i) => i.tenantId)])];
  const gatewayIds = [...new Set([
    ...channels.map((c) => c.gatewayId), ...incidents.flatMap((i) => (i.gatewayId ? [i.gatewayId] : [])),
  ])];
  const downGateways = channels.filter((c) => c.state === "provider_down").map((c) => ({ tenant_id: c.tenantId, gateway_id: c.gatewayId }));
  if (tenantIds.length === 0) {
    return EMPTY;
  }
  const [channelsPerGateway, contacts, tenants, gateways] = await Promise.all([
    downGateways.length === 0 ? [] : db<IncidentSnapshot["channelsPerGateway"]>`
      select c.tenant_id as "tenantId", c.gateway_id as "gatewayId", count(*)::int as count
      from public.channels c
      join (select distinct * from jsonb_to_recordset(${json(downGateways)}::text::jsonb) as x(tenant_id uuid, gateway_id uuid)) d
        on d.tenant_id = c.tenant_id and d.gateway_id = c.gateway_id
      where c.monitoring_enabled
      group by c.tenant_id, c.gateway_id
    `,
    db<IncidentSnapshot["contacts"]>`
      select id, tenant_id as "tenantId", channel_ids::text[] as "channelIds", states
      from public.alert_contacts where enabled and tenant_id = any(${tenantIds}::uuid[])
      order by created_at, id
    `,
    db<IncidentSnapshot["tenants"]>`
      select id, name, timezone, reminder_hours as "reminderHours" from public.tenants where id = any(${tenantIds}::uuid[])
    `,
    db<IncidentSnapshot["gateways"]>`select id, name from public.gateways where id = any(${gatewayIds}::uuid[])`,
  ]);
  return { channels: channels.map(reviveDates), channelsPerGateway, incidents: incidents.map(reviveDates), contacts, tenants, gateways };
}

function reviveDates<T extends object>(row: T): T {
  const out = { ...row } as Record<string, unknown>;
  for (const field of DATE_FIELDS) {
    if (field in out && out[field] !== null && !(out[field] instanceof Date)) out[field] = new Date(out[field] as string);
  }
  return out as T;
}

async function applyPlan(db: Db, plan: IncidentPlan, now: Date): Promise<IncidentSummary> {
  // Leaving first: a channel that leaves a gateway incident may open its own in the same plan, and a
  // channel is an active member of one incident at a time.
  const left = plan.leave.length === 0 ? 0 : (await db`
    update public.incident_channels m set left_at = ${now}
    from jsonb_to_recordset(${json(plan.leave)}::text::jsonb) as x("incidentId" uuid, "channelId" uuid)
    where m.incident_id = x."incidentId" and m.channel_id = x."channelId" and m.left_at is null
  `).count;

  const resolved = new Set<string>();
  if (plan.resolve.length > 0) {
    const rows = await db<{ id: string }[]>`
      update public.incidents set resolved_at = ${now}
      where id = any(${plan.resolve}::uuid[]) and resolved_at is null
      returning id
    `;
    for (const row of rows) resolved.add(row.id);
    await db`
      update public.incident_channels set left_at = ${now}
      where incident_id = any(${[...resolved]}::uuid[]) and left_at is null
    `;
  }

  const opened = new Set<string>();
  if (plan.open.length > 0) {
    const rows = await db<{ id: string }[]>`
      insert into public.incidents (id, tenant_id, kind, channel_id, gateway_id, state, states_seen, opened_at, created_at)
      select x.id, x."tenantId", x.kind, x."channelId", x."gatewayId", x.state,
        array(select jsonb_array_elements_text(x."statesSeen")), ${now}, ${now}
      from jsonb_to_recordset(${json(plan.open)}::text::jsonb) as x(
        id uuid, "tenantId" uuid, kind text, "channelId" uuid, "gatewayId" uuid, state text, "statesSeen" jsonb)
      on conflict do nothing
      returning id
    `;
    for (const row of rows) opened.add(row.id);
  }

  const joins = [
    ...plan.open.filter((i) => opened.has(i.id)).flatMap((i) =>
      i.members.map((m) => ({ incidentId: i.id, tenantId: i.tenantId, channelId: m.channelId, state: m.state }))),
    ...plan.join,
  ];
  const joined = joins.length === 0 ? 0 : (await db`
    insert into public.incident_channels (incident_id, channel_id, tenant_id, joined_at, state)
    select x."incidentId", x."channelId", x."tenantId", ${now}, x.state
    from jsonb_to_recordset(${json(joins)}::text::jsonb) as x("incidentId" uuid, "channelId" uuid, "tenantId" uuid, state text)
    where exists (select 1 from public.incidents i where i.id = x."incidentId" and i.resolved_at is null)
    on conflict do nothing
  `).count;

  if (plan.memberStates.length > 0) {
    await db`
      update public.incident_channels m set state = x.state
      from jsonb_to_recordset(${json(plan.memberStates)}::text::jsonb) as x("incidentId" uuid, "channelId" uuid, state text)
      where m.incident_id = x."incidentId" and m.channel_id = x."channelId" and m.left_at is null
    `;
  }
  if (plan.update.length > 0) {
    await db`
      update public.incidents i set state = x.state, states_seen = array(select jsonb_array_elements_text(x."statesSeen"))
      from jsonb_to_recordset(${json(plan.update)}::text::jsonb) as x(id uuid, state text, "statesSeen" jsonb)
      where i.id = x.id and i.resolved_at is null
    `;
  }

  // Guarded on the count it was computed from and on nobody having acknowledged since (an admin's
  // acknowledgement does not take the lock): a reminder row follows only a reminder really recorded.
  const reminded = new Set<string>();
  if (plan.remind.length > 0) {
    const rows = await db<{ id: string }[]>`
      update public.incidents i set reminder_count = x."reminderCount", last_reminder_at = ${now}
      from jsonb_to_recordset(${json(plan.remind)}::text::jsonb) as x(id uuid, "reminderCount" integer)
      where i.id = x.id and i.resolved_at is null and i.acknowledged_at is null and i.reminder_count = x."reminderCount" - 1
      returning i.id
    `;
    for (const row of rows) reminded.add(row.id);
  }

  const planned = new Set(plan.open.map((i) => i.id));
  const rows = plan.outbox.filter((row) =>
    row.kind === "resolved" ? resolved.has(row.incidentId)
      : row.kind === "reminder" ? reminded.has(row.incidentId)
        : planned.has(row.incidentId) ? opened.has(row.incidentId) : !resolved.has(row.incidentId));
  const queued = rows.length === 0 ? 0 : (await db`
    insert into public.alert_outbox (tenant_id, incident_id, contact_id, kind, seq, status, next_attempt_at, created_at, payload)
    select x."tenantId", x."incidentId", x."contactId", x.kind, x.seq, 'pending', ${now}, ${now}, x.payload
    from jsonb_to_recordset(${json(rows)}::text::jsonb) as x(
      "tenantId" uuid, "incidentId" uuid, "contactId" uuid, kind text, seq integer, payload jsonb)
    -- A contact removed since the snapshot (an admin does not take the lock) is skipped, not an error.
    where exists (select 1 from public.alert_contacts c where c.id = x."contactId")
    on conflict (incident_id, contact_id, kind, seq) do nothing
  `).count;

  return { opened: opened.size, resolved: resolved.size, joined, left, reminded: reminded.size, outboxRows: queued };
}
