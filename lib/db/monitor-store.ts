import postgres from "postgres";
import type { Db, Sql } from "@/lib/db/client";
import { rollupRows, upsertDailyRollups, upsertHourlyRollups } from "@/lib/db/uptime-rollups";
import { staleBefore } from "@/lib/monitor/run-liveness";
import { sanitizeOutcome, sanitizeText, TEXT_LIMITS } from "@/lib/monitor/sanitize-text";
import type { ChannelOutcome, ClaimedChannel, MonitorStore, PassTrigger } from "@/lib/monitor/types";

/**
 * The monitor's database side. Every method is one statement, whatever the batch size: claiming 500
 * channels is one round trip and writing their results (status, transitions, checks, actions, hourly
 * and daily rollups) is one more, plus one to prune raw checks when any were recorded.
 */

const KEEP_CHECKS_PER_CHANNEL = 100;

/**
 * A channel checked a moment into the previous tick is due at this one: without this slack a 30 s
 * scheduler over 30 s channels would find them 1–3 s short of due and check them every other tick.
 */
const DUE_SLACK_MS = 5_000;
const dueBy = (now: Date) => new Date(now.getTime() + DUE_SLACK_MS);

const json = (value: unknown) => JSON.stringify(value);

/**
 * Free to claim: never leased, or its lease (one check interval from the claim) has run out and the pass
 * that took it has stopped beating or finished (lib/monitor/run-liveness.ts).
 */
function leaseFree(sql: Sql, now: Date) {
  return sql`(s.lease_until is null or (s.lease_until <= ${now} and not exists (
    select 1 from public.monitor_runs r
    where r.id = s.lease_owner and r.finished_at is null and r.heartbeat_at > ${staleBefore(now)})))`;
}

/** The claim's optional filter: nothing when absent, so a normal pass's statement is unchanged. */
function onlyChannels(sql: Sql, channelIds: string[] | undefined) {
  return channelIds ? sql`and s.channel_id = any(${channelIds}::uuid[])` : sql``;
}

export function createMonitorStore(sql: Sql): MonitorStore {
  return {
    async startRun(trigger: PassTrigger, now: Date) {
      const [row] = await sql<{ id: string }[]>`
        insert into public.monitor_runs (trigger, started_at, heartbeat_at) values (${trigger}, ${now}, ${now}) returning id
      `;
      return row.id;
    },

    async heartbeat(runId, now) {
      await sql`update public.monitor_runs set heartbeat_at = ${now} where id = ${runId} and finished_at is null`;
    },

    async closeAbandonedRuns(now) {
      const closed = await sql`
        update public.monitor_runs set
          finished_at = coalesce(heartbeat_at, started_at),
          duration_ms = (extract(epoch from coalesce(heartbeat_at, started_at) - started_at) * 1000)::int,
          error = 'abandoned: no heartbeat since '
            || to_char(coalesce(heartbeat_at, started_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        where finished_at is null and coalesce(heartbeat_at, started_at) < ${staleBefore(now)}
      `;
      return closed.count;
    },

    async releaseLeases(runId) {
      await sql`update public.channel_status set lease_owner = null, lease_until = null where lease_owner = ${runId}`;
    },

    async claimChannels({ runId, now, passStartedAt, limit, all, channelIds }) {
      return sql<ClaimedChannel[]>`
        with due as (
          select s.channel_id
          from public.channel_status s
          join public.channels c on c.id = s.channel_id
          where c.monitoring_enabled
            and ${leaseFree(sql, now)}
            and (s.last_checked_at is null or s.last_checked_at < ${passStartedAt})
            and (${all} or s.next_check_at <= ${dueBy(now)})
            ${onlyChannels(sql, channelIds)}
          order by s.last_checked_at asc nulls first, s.channel_id
          limit ${limit}
          for update of s skip locked
        )
        update public.channel_status s
        set lease_owner = ${runId}, lease_until = ${now}::timestamptz + c.check_interval_seconds * interval '1 second'
        from due, public.channels c, public.tenants t, public.channel_secrets sec, public.gateways g
        where s.channel_id = due.channel_id and c.id = s.channel_id and t.id = c.tenant_id and sec.channel_id = c.id
          and g.id = c.gateway_id
        returning
          c.id as "channelId", c.tenant_id as "tenantId", t.timezone, c.provider, c.gateway_url as "gatewayUrl",
          c.instance_name as "instanceName",
          -- Null when the channel moved and no key was entered since (the gateways migration clears it).
          coalesce(sec.api_key_ciphertext, case when c.uses_gateway_key then g.global_key_ciphertext end) as "apiKeyCiphertext",
          -- Bulk state reads: one listing per gateway with a global key (lib/monitor/bulk-state-reads.ts).
          c.gateway_id as "gatewayId", g.global_key_ciphertext as "gatewayKeyCiphertext",
          sec.client_token_ciphertext as "clientTokenCiphertext", c.waba_id as "wabaId",
          c.check_interval_seconds as "checkIntervalSeconds",
          json_build_object(
            'state', s.state, 'reason', s.reason, 'since', s.since, 'lastCheckedAt', s.last_checked_at,
            'pendingState', s.pending_state, 'pendingReason', s.pending_reason, 'pendingSince', s.pending_since,
            'reconnectAttempt', s.reconnect_attempt, 'nextReconnectAt', s.next_reconnect_at,
            'recentReconnects', s.recent_reconnects, 'qrRequestedAt', s.qr_requested_at,
            'lastCheckRecordedAt', s.last_check_recorded_at, 'accountedUntil', s.accounted_until,
            'listedChecks', s.listed_checks
          ) as status,
          json_build_object(
            'secretCiphertext', sec.webhook_secret_ciphertext, 'events', c.webhook_events, 'enabled', c.webhook_enabled,
            'checkedAt', s.webhook_checked_at, 'lastEventAt', s.last_event_at, 'silentSince', s.silent_since,
            'silenceThresholdSeconds', c.silence_threshold_seconds, 'mode', c.webhook_mode,
            'downstream', case when c.webhook_downstream_url is not null then json_build_object(
              'display', regexp_replace(c.webhook_downstream_url, '[?#].*$', ''),
              'events', c.webhook_downstream_events, 'base64', c.webhook_downstream_base64) end
          ) as webhook
      `.then((rows) => rows.map(reviveClaim));
    },

    async writeOutcomes(runId, outcomes, claimed) {
      // Sanitized again right before serializing: whatever a gateway said, jsonb must take it.
      const clean = outcomes.map(sanitizeOutcome);
      try {
        await pruneChecks(sql, await writeOutcomeBatch(sql, runId, clean, claimed));
        return { refused: [] };
      } catch (error) {
        if (!isRefusedData(error)) throw error;
        return writeOneByOne(sql, runId, clean, claimed);
      }
    },

    /** Due when the pass started, unchecked and unclaimed: what another pass is checking is not left over,
     * and what only became due while this pass ran is the next pass's work, not a backlog. */
    async countDue(now, passStartedAt, all, channelIds) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n
        from public.channel_status s join public.channels c on c.id = s.channel_id
        where c.monitoring_enabled
          and ${leaseFree(sql, now)}
          and (s.last_checked_at is null or s.last_checked_at < ${passStartedAt})
          and (${all} or s.next_check_at <= ${dueBy(passStartedAt)})
          ${onlyChannels(sql, channelIds)}
      `;
      return row.n;
    },

    async finishRun(runId, summary, finishedAt, error) {
      await sql`
        update public.monitor_runs set finished_at = ${finishedAt}, checked = ${summary.checked},
          transitions = ${summary.transitions}, reconnects = ${summary.reconnects}, failed = ${summary.failed},
          remaining = ${summary.remaining}, duration_ms = ${summary.durationMs}, error = ${error ?? null}
        where id = ${runId}
      `;
    },
  };
}

type Row = Record<string, unknown>;

/**
 * A statement refused for what it carried (SQLSTATE classes 22 data, 23 constraints, P0 raised, XX …),
 * as opposed to the database failing: connection lost (postgres.js codes without a SQLSTATE), 08
 * connection, 53 resources, 57 shut down or cancelled, 58 system. Only the former is worth retrying
 * channel by channel; the latter would fail every row the same way.
 */
function isRefusedData(error: unknown): boolean {
  return error instanceof postgres.PostgresError && /^[0-9A-Z]{5}$/.test(error.code) && !/^(08|53|57|58)/.test(error.code);
}

/**
 * The batch was refused: each channel on its own, so one channel's bad row costs only that channel. A
 * channel refused on its own is marked (monitor_error), keeps its state, moves on to its next check and
 * is freed. Leases of channels that were not checked are freed last.
 */
async function writeOneByOne(sql: Sql, runId: string, outcomes: ChannelOutcome[], claimed: string[]) {
  const refused: string[] = [];
  const recorded: string[] = [];
  for (const outcome of outcomes) {
    try {
      recorded.push(...(await writeOutcomeBatch(sql, runId, [outcome], [outcome.channelId])));
    } catch (error) {
      if (!isRefusedData(error)) throw error;
      const message = (error as Error).message;
      await markRefused(sql, runId, outcome, message);
      refused.push(outcome.channelId);
      console.error(`monitor: channel ${outcome.channelId}: its check could not be recorded: ${message}`);
    }
  }
  const checked = new Set(outcomes.map((o) => o.channelId));
  const unchecked = claimed.filter((id) => !checked.has(id));
  if (unchecked.length > 0) await writeOutcomeBatch(sql, runId, [], unchecked);
  await pruneChecks(sql, recorded);
  return { refused };
}

async function markRefused(sql: Sql, runId: string, outcome: ChannelOutcome, message: string) {
  const text = sanitizeText(`this check could not be recorded: ${message}`, TEXT_LIMITS.detail);
  await sql`
    update public.channel_status set
      monitor_error = ${text}, monitor_error_at = ${outcome.status.lastCheckedAt},
      last_checked_at = ${outcome.status.lastCheckedAt}, next_check_at = ${outcome.status.nextCheckAt},
      lease_owner = null, lease_until = null, updated_at = now()
    where channel_id = ${outcome.channelId} and lease_owner = ${runId}
  `;
}

/**
 * One batch in one statement: all or nothing, so a refused batch wrote nothing. Returns the channels
 * whose raw checks were recorded (to prune).
 */
async function writeOutcomeBatch(sql: Db, runId: string, outcomes: ChannelOutcome[], claimed: string[]): Promise<string[]> {
  const status = outcomes.map((o) => ({
    channel_id: o.channelId, prev_state: o.transition?.fromState ?? o.status.state, state: o.status.state,
    reason: o.status.reason, since: o.status.since, last_checked_at: o.status.lastCheckedAt,
    next_check_at: o.status.nextCheckAt, latency_ms: o.status.latencyMs, pending_state: o.status.pendingState,
    pending_reason: o.status.pendingReason, pending_since: o.status.pendingSince,
    reconnect_attempt: o.status.reconnectAttempt, next_reconnect_at: o.status.nextReconnectAt,
    recent_reconnects: o.status.recentReconnects, last_check_recorded_at: o.status.lastCheckRecordedAt,
    accounted_until: o.status.accountedUntil, prev_accounted_until: o.claimedAccountedUntil,
    webhook_checked_at: o.webhook.checkedAt, silent_since: o.webhook.silentSince, monitor_error: o.monitorError ?? null,
    listed_checks: o.status.listedChecks ?? 0,
  }));
  const events = outcomes.flatMap((o) => (o.transition ? [{
    channel_id: o.channelId, tenant_id: o.transition.tenantId, from_state: o.transition.fromState,
    to_state: o.transition.toState, reason: o.transition.reason, occurred_at: o.transition.occurredAt,
  }] : []));
  const checks = outcomes.flatMap((o) => (o.check ? [{
    channel_id: o.channelId, tenant_id: o.check.tenantId, checked_at: o.check.checkedAt, state: o.check.state,
    gateway_state: o.check.gatewayState, reason_code: o.check.reasonCode, latency_ms: o.check.latencyMs,
    error_code: o.check.errorCode, detail: o.check.detail,
  }] : []));
  const actions = outcomes.flatMap((o) => o.actions.map((a) => ({
    channel_id: a.channelId, tenant_id: a.tenantId, kind: a.kind, trigger: a.trigger,
    actor_user_id: a.actorUserId, requested_at: a.requestedAt, outcome: a.outcome, detail: a.detail,
  })));
  await writeBatch(sql, runId, {
    status, events, checks, actions, claimed,
    hourly: rollupRows(outcomes.flatMap((o) => o.hourly)),
    daily: rollupRows(outcomes.flatMap((o) => o.daily)),
  });
  return [...new Set(checks.map((c) => c.channel_id))];
}

/**
 * One statement for the whole batch. The status update is guarded: only while this run still holds the
 * lease, and only if nobody (a webhook, a person) moved the state since the claim, nor accounted uptime
 * (a webhook that moved it away and back has; the pass must not count that time again); rollups and
 * transitions follow only the status rows that were really updated, so a lost race writes nothing twice.
 */
async function writeBatch(sql: Db, runId: string, batch: {
  status: Row[]; events: Row[]; checks: Row[]; actions: Row[]; claimed: string[];
  hourly: ReturnType<typeof rollupRows>; daily: ReturnType<typeof rollupRows>;
}) {
  await sql`
    with input as (
      select * from jsonb_to_recordset(${json(batch.status)}::text::jsonb) as x(
        channel_id uuid, prev_state text, state text, reason text, since timestamptz, last_checked_at timestamptz,
        next_check_at timestamptz, latency_ms integer, pending_state text, pending_reason text,
        pending_since timestamptz, reconnect_attempt integer, next_reconnect_at timestamptz,
        recent_reconnects jsonb, last_check_recorded_at timestamptz, accounted_until timestamptz,
        prev_accounted_until timestamptz, webhook_checked_at timestamptz, silent_since timestamptz, monitor_error text,
        listed_checks smallint)
    ),
    updated as (
      update public.channel_status s set
        state = i.state, reason = i.reason, since = i.since, last_checked_at = i.last_checked_at,
        next_check_at = i.next_check_at, latency_ms = i.latency_ms, pending_state = i.pending_state,
        pending_reason = i.pending_reason, pending_since = i.pending_since,
        reconnect_attempt = i.reconnect_attempt, next_reconnect_at = i.next_reconnect_at,
        recent_reconnects = array(select jsonb_array_elements_text(i.recent_reconnects)::timestamptz),
        last_check_recorded_at = i.last_check_recorded_at, accounted_until = i.accounted_until,
        webhook_checked_at = i.webhook_checked_at,
        -- An event received since the claim ends the silence the check computed.
        silent_since = case when date_trunc('milliseconds', s.last_event_at) > i.silent_since then null else i.silent_since end,
        monitor_error = i.monitor_error, monitor_error_at = case when i.monitor_error is null then null else i.last_checked_at end,
        listed_checks = i.listed_checks, lease_owner = null, lease_until = null, updated_at = now()
      from input i
      where s.channel_id = i.channel_id and s.lease_owner = ${runId} and s.state = i.prev_state
        and date_trunc('milliseconds', s.accounted_until) is not distinct from i.prev_accounted_until
      returning s.channel_id
    ),
    released as (
      -- Lost the guard, or not checked in time. The state stays as the webhook or person left it, but
      -- what this check did stays true (when it ran, the reconnect it made and its backoff, the webhook
      -- read): the pass must neither claim the channel again nor forget a reconnect and make another.
      update public.channel_status s set
        lease_owner = null, lease_until = null,
        last_checked_at = coalesce(i.last_checked_at, s.last_checked_at),
        next_check_at = coalesce(i.next_check_at, s.next_check_at),
        latency_ms = case when i.channel_id is null then s.latency_ms else i.latency_ms end,
        reconnect_attempt = coalesce(i.reconnect_attempt, s.reconnect_attempt),
        next_reconnect_at = case when i.channel_id is null then s.next_reconnect_at else i.next_reconnect_at end,
        recent_reconnects = case when i.channel_id is null then s.recent_reconnects
          else array(select jsonb_array_elements_text(i.recent_reconnects)::timestamptz) end,
        last_check_recorded_at = coalesce(i.last_check_recorded_at, s.last_check_recorded_at),
        webhook_checked_at = case when i.channel_id is null then s.webhook_checked_at else i.webhook_checked_at end
      from unnest(${batch.claimed}::uuid[]) as c(channel_id) left join input i on i.channel_id = c.channel_id
      where s.channel_id = c.channel_id and s.lease_owner = ${runId}
        and s.channel_id not in (select channel_id from updated)
    ),
    events as (
      insert into public.channel_events (channel_id, tenant_id, from_state, to_state, reason, source, occurred_at)
      select e.channel_id, e.tenant_id, e.from_state, e.to_state, e.reason, 'monitor', e.occurred_at
      from jsonb_to_recordset(${json(batch.events)}::text::jsonb) as e(
        channel_id uuid, tenant_id uuid, from_state text, to_state text, reason text, occurred_at timestamptz)
      where e.channel_id in (select channel_id from updated)
    ),
    checks as (
      insert into public.channel_checks
        (channel_id, tenant_id, checked_at, state, gateway_state, reason_code, latency_ms, error_code, detail)
      select * from jsonb_to_recordset(${json(batch.checks)}::text::jsonb) as c(
        channel_id uuid, tenant_id uuid, checked_at timestamptz, state text, gateway_state text,
        reason_code integer, latency_ms integer, error_code text, detail text)
    ),
    actions as (
      insert into public.channel_actions
        (channel_id, tenant_id, kind, trigger, actor_user_id, requested_at, outcome, detail)
      select * from jsonb_to_recordset(${json(batch.actions)}::text::jsonb) as a(
        channel_id uuid, tenant_id uuid, kind text, trigger text, actor_user_id uuid,
        requested_at timestamptz, outcome text, detail text)
    ),
    hourly as (${upsertHourlyRollups(sql, batch.hourly, sql`select channel_id from updated`)}),
    daily as (${upsertDailyRollups(sql, batch.daily, sql`select channel_id from updated`)})
    select 1
  `;
}

async function pruneChecks(sql: Db, channelIds: string[]) {
  if (channelIds.length === 0) return;
  await sql`
    delete from public.channel_checks c
    using (
      select id from (
        select id, row_number() over (partition by channel_id order by checked_at desc, id desc) as n
        from public.channel_checks where channel_id = any(${channelIds}::uuid[])
      ) ranked where n > ${KEEP_CHECKS_PER_CHANNEL}
    ) old
    where c.id = old.id
  `;
}

const DATE_FIELDS = [
  "since", "lastCheckedAt", "pendingSince", "nextReconnectAt", "qrRequestedAt", "lastCheckRecordedAt", "accountedUntil",
] as const;
const WEBHOOK_DATE_FIELDS = ["checkedAt", "lastEventAt", "silentSince"] as const;

/** In place: the rows are the driver's fresh objects, nobody else holds them (no copy per claimed channel). */
function reviveDates(raw: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) raw[field] = raw[field] ? new Date(raw[field] as string) : null;
}

/** json_build_object hands timestamps back as strings; the policy works on Dates. */
function reviveClaim(row: ClaimedChannel): ClaimedChannel {
  const status = row.status as unknown as Record<string, unknown>;
  reviveDates(status, DATE_FIELDS);
  status.recentReconnects = ((status.recentReconnects as string[] | null) ?? []).map((at) => new Date(at));
  reviveDates(row.webhook as unknown as Record<string, unknown>, WEBHOOK_DATE_FIELDS);
  return row;
}
