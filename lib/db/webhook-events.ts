import type postgres from "postgres";
import type { Db } from "@/lib/db/client";
import { stretchContext, upsertDailyUptime, upsertHourlyUptime } from "@/lib/db/uptime-rollups";
import type { ChannelState } from "@/lib/monitor/states";
import type { ProviderKind } from "@/lib/providers/types";

/**
 * The webhook receiver's database side (service path only: it reads the sealed webhook secret).
 * Every write is one statement, guarded so that concurrent deliveries for one channel, and a monitor
 * pass in flight, never apply anything twice.
 */

export interface WebhookChannelStatus {
  state: ChannelState;
  since: Date;
  accountedUntil: Date | null;
  /** The newest state event applied, in the gateway's order (its clock, then the dedupe key). */
  lastEventOccurredAt: Date | null;
  lastEventKey: string | null;
  lastEventAt: Date | null;
}

export interface WebhookChannel {
  channelId: string;
  tenantId: string;
  timezone: string;
  provider: ProviderKind;
  instanceName: string;
  monitoringEnabled: boolean;
  checkIntervalSeconds: number;
  silenceThresholdSeconds: number | null;
  /** Set when the channel has a downstream (origin and path; a whole URL on rows from before sealing). */
  downstreamUrl: string | null;
  /** The downstream's subscription (config names); empty: every event. */
  downstreamEvents: string[];
  webhookMode: "adopt" | "manage" | "off";
  secretCiphertext: string | null;
  status: WebhookChannelStatus;
}

type Row = Omit<WebhookChannel, "status"> & WebhookChannelStatus;

/** The channel and its status, or null when there is no such channel (or no status row yet). */
export async function findWebhookChannel(db: Db, channelId: string): Promise<WebhookChannel | null> {
  const [row] = await db<Row[]>`
    select c.id as "channelId", c.tenant_id as "tenantId", t.timezone, c.provider, c.instance_name as "instanceName",
      c.monitoring_enabled as "monitoringEnabled", c.check_interval_seconds as "checkIntervalSeconds",
      c.silence_threshold_seconds as "silenceThresholdSeconds", c.webhook_downstream_url as "downstreamUrl",
      c.webhook_downstream_events as "downstreamEvents", c.webhook_mode as "webhookMode",
      sec.webhook_secret_ciphertext as "secretCiphertext",
      s.state, s.since, s.accounted_until as "accountedUntil", s.last_event_occurred_at as "lastEventOccurredAt",
      s.last_event_key as "lastEventKey", s.last_event_at as "lastEventAt"
    from public.channels c
    join public.tenants t on t.id = c.tenant_id
    join public.channel_state s on s.channel_id = c.id
    left join public.channel_secrets sec on sec.channel_id = c.id
    where c.id = ${channelId}
  `;
  if (!row) return null;
  const { state, since, accountedUntil, lastEventOccurredAt, lastEventKey, lastEventAt, ...channel } = row;
  return { ...channel, status: { state, since, accountedUntil, lastEventOccurredAt, lastEventKey, lastEventAt } };
}

/**
 * The channel's row, locked, with what its open stretch needs (the stretch runs from accounted_until to
 * the last claim: supabase/migrations/20261202003000_quiet_checks.sql).
 */
function currentRow(db: Db, channelId: string, guard: postgres.Fragment) {
  const context = stretchContext(db);
  return db`
    select s.channel_id, s.tenant_id, s.state, s.accounted_until, k.last_checked_at,
      c.check_interval_seconds * interval '1 second' as every,
      ${context.degradedFrom} as degraded_from, ${context.timeZone} as time_zone
    from public.channel_state s
    join public.channel_schedule k on k.channel_id = s.channel_id
    join public.channels c on c.id = s.channel_id
    join public.tenants t on t.id = s.tenant_id
    where s.channel_id = ${channelId} ${guard}
    for update of s`;
}

/**
 * An event moves the start of a silence (last_event_at) later: time already watched in that silence
 * must stay degraded, so the open stretch is materialized first when a silence had begun in it.
 */
function silenceEnds(db: Db) {
  return db`
    select channel_id, tenant_id, accounted_until as from_at, last_checked_at as to_at, state, degraded_from, time_zone
    from current where degraded_from < last_checked_at and last_checked_at > accounted_until`;
}

/**
 * Any accepted event proves the webhook delivers: it ends a silence. A shown QR code also means a
 * pairing is in progress (the reconnect policy must not restart over it).
 */
export async function recordEventReceived(db: Db, channelId: string, at: Date, options: { qrShown?: boolean } = {}) {
  const settled = db`select * from settle`;
  await db`
    with current as (${currentRow(db, channelId, db``)}),
    settle as (${silenceEnds(db)}),
    updated as (
      update public.channel_state s set
        last_event_at = greatest(s.last_event_at, ${at}), silent_since = null,
        qr_requested_at = case when ${options.qrShown ?? false} then greatest(s.qr_requested_at, ${at}) else s.qr_requested_at end,
        accounted_until = coalesce((select to_at from settle), s.accounted_until)
      where s.channel_id = ${channelId}
    ),
    hourly as (${upsertHourlyUptime(db, { stretches: settled })}),
    daily as (${upsertDailyUptime(db, { stretches: settled })})
    select 1
  `;
}

export interface StateEventWrite {
  channelId: string;
  tenantId: string;
  /** What the status row must still say for this write to apply (else it was changed meanwhile). */
  expected: { state: ChannelState; accountedUntil: Date | null };
  to: { state: ChannelState; reason: string };
  /** Our clock: when the transition is recorded and uptime is accounted up to. */
  receivedAt: Date;
  /** The gateway's order: only applies if newer than the last state event applied. */
  occurredAt: Date;
  dedupeKey: string;
}

/**
 * Applies one state event in one statement. Returns false, writing nothing, when the status row no
 * longer matches `expected` or already holds this event or a newer one; the caller re-reads and decides.
 * A transition goes to channel_events with source 'webhook' (its dedupe key unique there too); the
 * monitor's pending flap-damping observation is dropped: the gateway has said what the state is.
 *
 * A transition materializes the time since accounted_until in the state it ends: up to the channel's
 * last claim (watched all along), and on to the transition unless more than three intervals passed
 * since the last observation (then that time stays "no data"), exactly as a check would count it. An
 * event that keeps the state but ends a silence materializes the stretch up to the last claim first.
 */
export async function applyStateEvent(db: Db, write: StateEventWrite): Promise<boolean> {
  const changed = write.to.state !== write.expected.state;
  const at = write.receivedAt;
  const settled = db`select * from settle`;
  const rows = await db`
    with current as (${currentRow(db, write.channelId, db`
      and s.state = ${write.expected.state}
      and date_trunc('milliseconds', s.accounted_until) is not distinct from ${write.expected.accountedUntil}::timestamptz
      and (s.last_event_occurred_at is null
        or (s.last_event_occurred_at, s.last_event_key collate "C") < (${write.occurredAt}::timestamptz, ${write.dedupeKey}::text collate "C"))`)}),
    settle as (
      ${changed ? db`
        select channel_id, tenant_id, accounted_until as from_at,
          case when ${at}::timestamptz - greatest(accounted_until, last_checked_at) <= 3 * every then ${at}::timestamptz
            else greatest(accounted_until, last_checked_at) end as to_at,
          state, degraded_from, time_zone
        from current` : silenceEnds(db)}
    ),
    updated as (
      update public.channel_state s set
        state = ${write.to.state}, reason = ${write.to.reason},
        since = case when ${changed} then ${at}::timestamptz else s.since end,
        accounted_until = case when ${changed} then ${at}::timestamptz
          else coalesce((select to_at from settle), s.accounted_until) end,
        pending_state = null, pending_reason = null, pending_since = null,
        reconnect_attempt = case when ${write.to.state} = 'connected' then 0 else s.reconnect_attempt end,
        next_reconnect_at = case when ${write.to.state} = 'connected' then null else s.next_reconnect_at end,
        last_event_occurred_at = ${write.occurredAt}, last_event_key = ${write.dedupeKey},
        last_event_at = greatest(s.last_event_at, ${at}), silent_since = null, updated_at = now()
      from current where s.channel_id = current.channel_id
      returning s.channel_id
    ),
    event as (
      insert into public.channel_events
        (channel_id, tenant_id, from_state, to_state, reason, source, occurred_at, dedupe_key)
      select channel_id, ${write.tenantId}, ${write.expected.state}, ${write.to.state}, ${write.to.reason}, 'webhook',
        ${at}, ${`webhook:${write.channelId}:${write.dedupeKey}`}
      from updated where ${changed}
      on conflict (dedupe_key) do nothing
    ),
    hourly as (${upsertHourlyUptime(db, { stretches: settled })}),
    daily as (${upsertDailyUptime(db, { stretches: settled })})
    select channel_id from updated
  `;
  return rows.length > 0;
}
