import postgres from "postgres";
import type { Db, Sql } from "@/lib/db/client";
import { rollupRows, stretchContext, upsertDailyUptime, upsertHourlyUptime } from "@/lib/db/uptime-rollups";
import { LIVE_READ_EVERY } from "@/lib/monitor/bulk-state-reads";
import { staleBefore } from "@/lib/monitor/run-liveness";
import { sanitizeOutcome, sanitizeText, TEXT_LIMITS } from "@/lib/monitor/sanitize-text";
import type { ChannelOutcome, ClaimedChannel, MonitorStore, PassTrigger } from "@/lib/monitor/types";

/**
 * The monitor's database side. Every method is one statement, whatever the batch size: claiming 500
 * channels is one round trip, and writing their results (status, transitions, checks, actions, uptime)
 * is at most one more, plus one to prune raw checks when any were recorded.
 *
 * What a check that changes nothing costs is its claim alone: one narrow row version of
 * channel_schedule, which also moves its schedule on and is its lease (see
 * supabase/migrations/20261202003000_quiet_checks.sql). Its outcome is not written at all (quiet), its
 * lease ends with its run, and its uptime is the open stretch up to that claim, materialized once an
 * hour (materializeHours), at a transition or after a gap.
 */

const KEEP_CHECKS_PER_CHANNEL = 100;

/**
 * A channel checked a moment into the previous tick is due at this one: without this slack a 30 s
 * scheduler over 30 s channels would find them 1–3 s short of due and check them every other tick.
 */
const DUE_SLACK_MS = 5_000;
const dueBy = (now: Date) => new Date(now.getTime() + DUE_SLACK_MS);

const HOUR_MS = 3_600_000;

/**
 * A claim picks its rows among this many times `limit` stalest due channels: enough that claims running
 * at once (a fanned-out pass's invocations) rarely find all of them taken, and if they do, the claim
 * looks at every due channel before it says none is left.
 */
const CANDIDATES_PER_CLAIMED = 4;

const json = (value: unknown) => JSON.stringify(value);

/**
 * Free to claim: never leased; or the run that claimed it is not beating (lib/monitor/run-liveness.ts)
 * and the lease has run out (it runs until the channel's next check is due); or, before that, the run
 * finished cleanly (it wrote or gave back everything it claimed). So a live run holds its channels as long
 * as it beats, however slow a check is, and a killed one (closed as abandoned) one interval from the claim.
 */
function leaseFree(sql: Sql, now: Date) {
  return sql`(k.lease_owner is null
    or (k.next_check_at <= ${now} and k.lease_owner not in (select r.id from public.monitor_runs r
      where r.finished_at is null and coalesce(r.heartbeat_at, r.started_at) > ${staleBefore(now)}))
    or (k.next_check_at > ${now} and not exists (select 1 from public.monitor_runs r
      where r.id = k.lease_owner and (r.finished_at is null or r.error like 'abandoned%'))))`;
}

/** The claim's optional filter: nothing when absent, so a normal pass's statement is unchanged. */
function onlyChannels(sql: Sql, channelIds: string[] | undefined, alias = "k") {
  return channelIds ? sql`and ${sql(alias)}.channel_id = any(${channelIds}::uuid[])` : sql``;
}

/** Where a claimed channel's schedule stood before its claim: what an unchecked channel goes back to. */
interface Before {
  lastCheckedAt: Date | null;
  nextCheckAt: Date;
}

type ClaimRow = ClaimedChannel & { previousDueAt: Date };

export function createMonitorStore(sql: Sql): MonitorStore {
  /** Claimed, not yet written or given back, by `${runId} ${channelId}`. */
  const before = new Map<string, Before>();
  const key = (runId: string, channelId: string) => `${runId} ${channelId}`;
  /** What `runId` claimed among `channelIds` and still holds, forgotten here: to give back. */
  const takeBack = (runId: string, channelIds: string[]) => channelIds.flatMap((channelId) => {
    const was = before.get(key(runId, channelId));
    before.delete(key(runId, channelId));
    return was ? [{ channel_id: channelId, last_checked_at: was.lastCheckedAt, next_check_at: was.nextCheckAt }] : [];
  });
  /** Written (or quiet): nothing to give back. */
  const forget = (runId: string, channelIds: Iterable<string>) => {
    for (const channelId of channelIds) before.delete(key(runId, channelId));
  };

  /**
   * One claim, its candidates first: the stalest `candidates` due, monitored channels, picked from the
   * narrow channel_schedule and channels' partial index (channels_monitored) alone, without locking;
   * then, of those, the first `limit` still free, locked (SKIP LOCKED). The candidates are not
   * re-checked when a row changed under the claim, so every condition is repeated on `k`, the locked
   * row, which PostgreSQL re-checks on the row's latest version (READ COMMITTED): a channel that another
   * pass claimed meanwhile is skipped, never claimed twice. `candidates` null: every due channel.
   */
  async function claimFrom({ runId, now, passStartedAt, limit, all, channelIds }: Parameters<MonitorStore["claimChannels"]>[0], candidates: number | null) {
    const context = stretchContext(sql);
    const rows = await sql<ClaimRow[]>`
      with candidate as (
        select k0.channel_id, c0.check_interval_seconds * interval '1 second' as every
        from public.channel_schedule k0
        join public.channels c0 on c0.id = k0.channel_id
        where c0.monitoring_enabled
          and (k0.last_checked_at is null or k0.last_checked_at < ${passStartedAt})
          and (${all} or k0.next_check_at <= ${dueBy(now)})
          ${onlyChannels(sql, channelIds, "k0")}
        order by k0.last_checked_at asc nulls first, k0.channel_id
        limit ${candidates}
      ),
      due as (
        select k.channel_id, k.last_checked_at as previous_check, k.next_check_at as previous_due,
          k.listed_checks as previous_listed, candidate.every
        from candidate
        join public.channel_schedule k on k.channel_id = candidate.channel_id
        where ${leaseFree(sql, now)}
          and (k.last_checked_at is null or k.last_checked_at < ${passStartedAt})
          and (${all} or k.next_check_at <= ${dueBy(now)})
        order by k.last_checked_at asc nulls first, k.channel_id
        limit ${limit}
        for update of k skip locked
      ),
      -- The claim: due again one interval after the pass started (never sooner than half an interval
      -- from now, for a pass that overran its interval), held until then. It also counts the channel's
      -- checks towards its next due live read (lib/monitor/bulk-state-reads.ts), which the check is
      -- handed as claimed: a check answered by a gateway's listing has nothing of its own to write.
      claimed as (
        update public.channel_schedule k set lease_owner = ${runId}, last_checked_at = ${now},
          next_check_at = greatest(${passStartedAt}::timestamptz + due.every, ${now}::timestamptz + due.every / 2),
          listed_checks = (due.previous_listed + 1) % ${LIVE_READ_EVERY}
        from due where k.channel_id = due.channel_id
        returning k.channel_id
      ),
      -- Looked at again after a gap longer than three intervals (or never accounted yet): the stretch
      -- before the gap is materialized in the state it was in, and accounting starts again from now.
      -- Locked, so accounted_until is the one stored now, not the statement's snapshot: another pass's
      -- hourly materialization (or a webhook) moving it meanwhile would otherwise make the restart below
      -- miss, and the open stretch would run across the gap, counting it as watched.
      gap as (
        select s.channel_id, s.tenant_id, s.accounted_until as from_at, due.previous_check as to_at, s.state,
          ${context.degradedFrom} as degraded_from, ${context.timeZone} as time_zone
        from due
        join public.channel_state s on s.channel_id = due.channel_id
        join public.channels c on c.id = s.channel_id
        join public.tenants t on t.id = s.tenant_id
        where s.accounted_until is null
          or ${now}::timestamptz - greatest(s.accounted_until, due.previous_check) > 3 * due.every
        for update of s
      ),
      -- The rows gap locked (no condition on the snapshot's accounted_until: it may be older than gap's).
      restarted as (
        update public.channel_state s set accounted_until = ${now}
        from gap where s.channel_id = gap.channel_id
        returning s.channel_id
      ),
      hourly as (${upsertHourlyUptime(sql, { stretches: sql`select * from gap where channel_id in (select channel_id from restarted)` })}),
      daily as (${upsertDailyUptime(sql, { stretches: sql`select * from gap where channel_id in (select channel_id from restarted)` })})
      select
        c.id as "channelId", c.tenant_id as "tenantId", t.timezone, c.provider, c.gateway_url as "gatewayUrl",
        c.instance_name as "instanceName",
        -- Null when the channel moved and no key was entered since (the gateways migration clears it).
        coalesce(sec.api_key_ciphertext, case when c.uses_gateway_key then g.global_key_ciphertext end) as "apiKeyCiphertext",
        -- Bulk state reads: one listing per gateway with a global key (lib/monitor/bulk-state-reads.ts).
        c.gateway_id as "gatewayId", g.global_key_ciphertext as "gatewayKeyCiphertext",
        sec.client_token_ciphertext as "clientTokenCiphertext", c.waba_id as "wabaId",
        c.check_interval_seconds as "checkIntervalSeconds",
        json_build_object(
          'state', s.state, 'reason', s.reason, 'since', s.since, 'lastCheckedAt', due.previous_check,
          'pendingState', s.pending_state, 'pendingReason', s.pending_reason, 'pendingSince', s.pending_since,
          'reconnectAttempt', s.reconnect_attempt, 'nextReconnectAt', s.next_reconnect_at,
          'recentReconnects', s.recent_reconnects, 'qrRequestedAt', s.qr_requested_at,
          'lastCheckRecordedAt', s.last_check_recorded_at, 'accountedUntil', s.accounted_until,
          'listedChecks', due.previous_listed, 'monitorError', s.monitor_error
        ) as status,
        json_build_object(
          'secretCiphertext', sec.webhook_secret_ciphertext, 'events', c.webhook_events, 'enabled', c.webhook_enabled,
          'checkedAt', s.webhook_checked_at, 'lastEventAt', s.last_event_at, 'silentSince', s.silent_since,
          'silenceThresholdSeconds', c.silence_threshold_seconds, 'mode', c.webhook_mode,
          'downstream', case when c.webhook_downstream_url is not null then json_build_object(
            'display', regexp_replace(c.webhook_downstream_url, '[?#].*$', ''),
            'events', c.webhook_downstream_events, 'base64', c.webhook_downstream_base64) end
        ) as webhook,
        due.previous_due as "previousDueAt"
      from claimed
      join due on due.channel_id = claimed.channel_id
      join public.channel_state s on s.channel_id = claimed.channel_id
      join public.channels c on c.id = claimed.channel_id
      join public.tenants t on t.id = c.tenant_id
      join public.gateways g on g.id = c.gateway_id
      left join public.channel_secrets sec on sec.channel_id = c.id
    `;
    return rows.map((row) => {
      const { previousDueAt, ...channel } = reviveClaim(row);
      before.set(key(runId, channel.channelId), { lastCheckedAt: channel.status.lastCheckedAt, nextCheckAt: previousDueAt });
      return channel;
    });
  }

  /** Runs whose last claim came back with fewer channels than asked: most likely nothing more is left. */
  const short = new Set<string>();
  const ranShort = (runId: string, claimed: ClaimedChannel[]) => {
    short.add(runId);
    return claimed;
  };

  /**
   * Whether a claim could take anything now: the claim's own conditions, without locking (a channel
   * another claim is locking right now counts; the claim then skips it as before).
   */
  async function anyClaimable({ now, passStartedAt, all, channelIds }: Parameters<MonitorStore["claimChannels"]>[0]) {
    const [row] = await sql<{ any: boolean }[]>`
      select exists (
        select 1 from public.channel_schedule k join public.channels c on c.id = k.channel_id
        where c.monitoring_enabled
          and ${leaseFree(sql, now)}
          and (k.last_checked_at is null or k.last_checked_at < ${passStartedAt})
          and (${all} or k.next_check_at <= ${dueBy(now)})
          ${onlyChannels(sql, channelIds)}
      ) as any
    `;
    return row.any;
  }

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

    /**
     * Every channel's open stretch up to the hour that closed last, into its rows: what the first pass
     * of each hour does (a pass finished since the hour began has done it). Rows another statement holds
     * are left for the next hour: their stretch then spans two hours, which the views split all the same.
     */
    async materializeHours(now) {
      const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
      // Done already this hour (the statement below would find nothing): one cheap look instead of
      // planning it on every pass.
      const [done] = await sql<{ yes: boolean }[]>`
        select exists (select 1 from public.monitor_runs r where r.started_at >= ${hour} and r.finished_at is not null) as yes
      `;
      if (done.yes) return 0;
      const context = stretchContext(sql);
      const [row] = await sql<{ n: number }[]>`
        with due as (
          select s.channel_id, s.tenant_id, s.accounted_until as from_at, least(k.last_checked_at, ${hour}) as to_at,
            s.state, ${context.degradedFrom} as degraded_from, ${context.timeZone} as time_zone
          from public.channel_state s
          join public.channel_schedule k on k.channel_id = s.channel_id
          join public.channels c on c.id = s.channel_id
          join public.tenants t on t.id = s.tenant_id
          where s.accounted_until < least(k.last_checked_at, ${hour})
            and not exists (select 1 from public.monitor_runs r where r.started_at >= ${hour} and r.finished_at is not null)
          for update of s skip locked
        ),
        moved as (
          update public.channel_state s set accounted_until = due.to_at from due where s.channel_id = due.channel_id
          returning s.channel_id
        ),
        hourly as (${upsertHourlyUptime(sql, { stretches: sql`select * from due where channel_id in (select channel_id from moved)` })}),
        daily as (${upsertDailyUptime(sql, { stretches: sql`select * from due where channel_id in (select channel_id from moved)` })})
        select count(*)::int as n from moved
      `;
      return row.n;
    },

    async releaseLeases(runId) {
      const mine = [...before.keys()].filter((k) => k.startsWith(`${runId} `)).map((k) => k.slice(runId.length + 1));
      await giveBack(sql, runId, takeBack(runId, mine));
    },

    async claimChannels(options) {
      // Among the stalest candidates first (cheap); only when none of them could be had (others hold or
      // just took them all) among every due channel, so an empty claim still means nothing is left.
      // A claim plans for milliseconds, found something or not: after a claim that came back short, and
      // before a claim of every due channel, one cheap look at whether anything is left to claim.
      const { runId, limit } = options;
      const looked = short.has(runId);
      if (looked && !(await anyClaimable(options))) return ranShort(runId, []);
      const fast = await claimFrom(options, limit * CANDIDATES_PER_CLAIMED);
      if (fast.length >= limit) {
        short.delete(runId);
        return fast;
      }
      if (fast.length > 0) return ranShort(runId, fast);
      if (!looked && !(await anyClaimable(options))) return ranShort(runId, []);
      return ranShort(runId, await claimFrom(options, null));
    },
    async writeOutcomes(runId, outcomes, claimed, quiet = []) {
      const checked = new Set([...outcomes.map((o) => o.channelId), ...quiet]);
      // A quiet check has nothing to write: its claim said all there is (its lease ends with its run).
      forget(runId, quiet);
      forget(runId, outcomes.filter((o) => o.quiet).map((o) => o.channelId));
      // Sanitized again right before serializing: whatever a gateway said, jsonb must take it.
      const loud = outcomes.filter((o) => !o.quiet).map(sanitizeOutcome);
      forget(runId, loud.map((o) => o.channelId));
      const unchecked = takeBack(runId, claimed.filter((id) => !checked.has(id)));
      if (loud.length === 0 && unchecked.length === 0) return { refused: [] };
      try {
        await pruneChecks(sql, await writeOutcomeBatch(sql, runId, loud, unchecked));
        return { refused: [] };
      } catch (error) {
        if (!isRefusedData(error)) throw error;
        return writeOneByOne(sql, runId, loud, unchecked);
      }
    },

    /** Due when the pass started, unchecked and unclaimed: what another pass is checking is not left over,
     * and what only became due while this pass ran is the next pass's work, not a backlog. */
    async countDue(now, passStartedAt, all, channelIds) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n
        from public.channel_schedule k join public.channels c on c.id = k.channel_id
        where c.monitoring_enabled
          and ${leaseFree(sql, now)}
          and (k.last_checked_at is null or k.last_checked_at < ${passStartedAt})
          and (${all} or k.next_check_at <= ${dueBy(passStartedAt)})
          ${onlyChannels(sql, channelIds)}
      `;
      return row.n;
    },

    async finishRun(runId, summary, finishedAt, error) {
      short.delete(runId);
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
type GivenBack = { channel_id: string; last_checked_at: Date | null; next_check_at: Date };

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
 * channel refused on its own is marked (monitor_error), keeps its state, keeps the next check its claim
 * gave it and is freed. Channels that were not checked are given back last.
 */
async function writeOneByOne(sql: Sql, runId: string, outcomes: ChannelOutcome[], unchecked: GivenBack[]) {
  const refused: string[] = [];
  const recorded: string[] = [];
  for (const outcome of outcomes) {
    try {
      recorded.push(...(await writeOutcomeBatch(sql, runId, [outcome], [])));
    } catch (error) {
      if (!isRefusedData(error)) throw error;
      const message = (error as Error).message;
      await markRefused(sql, runId, outcome, message);
      refused.push(outcome.channelId);
      console.error(`monitor: channel ${outcome.channelId}: its check could not be recorded: ${message}`);
    }
  }
  if (unchecked.length > 0) await giveBack(sql, runId, unchecked);
  await pruneChecks(sql, recorded);
  return { refused };
}

async function markRefused(sql: Sql, runId: string, outcome: ChannelOutcome, message: string) {
  const text = sanitizeText(`this check could not be recorded: ${message}`, TEXT_LIMITS.detail);
  await sql`
    with marked as (
      update public.channel_state set monitor_error = ${text}, monitor_error_at = ${outcome.status.lastCheckedAt},
        updated_at = now()
      where channel_id = ${outcome.channelId}
    )
    update public.channel_schedule set lease_owner = null where channel_id = ${outcome.channelId} and lease_owner = ${runId}
  `;
}

/** Claimed and not checked (the pass ran out of time, or failed): the schedule as before the claim, no lease. */
async function giveBack(sql: Db, runId: string, channels: GivenBack[]) {
  if (channels.length === 0) return;
  await sql`
    update public.channel_schedule k set lease_owner = null, last_checked_at = b.last_checked_at, next_check_at = b.next_check_at
    from jsonb_to_recordset(${json(channels)}::text::jsonb) as b(channel_id uuid, last_checked_at timestamptz, next_check_at timestamptz)
    where k.channel_id = b.channel_id and k.lease_owner = ${runId}
  `;
}

/**
 * One batch in one statement: all or nothing, so a refused batch wrote nothing. Returns the channels
 * whose raw checks were recorded (to prune).
 */
async function writeOutcomeBatch(sql: Db, runId: string, outcomes: ChannelOutcome[], unchecked: GivenBack[]): Promise<string[]> {
  const status = outcomes.map((o) => ({
    channel_id: o.channelId, prev_state: o.transition?.fromState ?? o.status.state, prev_since: o.claimedSince,
    transition: Boolean(o.transition), state: o.status.state, reason: o.status.reason, since: o.status.since,
    checked_at: o.status.lastCheckedAt, latency_ms: o.status.latencyMs, pending_state: o.status.pendingState,
    pending_reason: o.status.pendingReason, pending_since: o.status.pendingSince,
    reconnect_attempt: o.status.reconnectAttempt, next_reconnect_at: o.status.nextReconnectAt,
    recent_reconnects: o.status.recentReconnects, last_check_recorded_at: o.status.lastCheckRecordedAt,
    webhook_checked_at: o.webhook.checkedAt, silent_since: o.webhook.silentSince, monitor_error: o.monitorError ?? null,
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
    status, events, checks, actions, unchecked,
    hourly: rollupRows(outcomes.flatMap((o) => o.hourly)),
    daily: rollupRows(outcomes.flatMap((o) => o.daily)),
  });
  return [...new Set(checks.map((c) => c.channel_id))];
}

/**
 * One statement for the whole batch. The status update is guarded: only if nobody (a webhook, a person)
 * moved the state since the claim, even away and back (its `since` moved then). The rows it updates are
 * locked first, so a transition materializes the open stretch from the accounted_until really stored,
 * whoever moved it meanwhile (the hourly materialization, a webhook). Rollups and transitions follow only
 * the rows really updated, so a lost race writes nothing twice.
 */
async function writeBatch(sql: Db, runId: string, batch: {
  status: Row[]; events: Row[]; checks: Row[]; actions: Row[]; unchecked: GivenBack[];
  hourly: ReturnType<typeof rollupRows>; daily: ReturnType<typeof rollupRows>;
}) {
  const context = stretchContext(sql);
  // From `locked` alone, which carries its input's check: joined to `input` again, both estimated at
  // one row, PostgreSQL nested-looped them (2,000 × 2,000 rows, ~1 s a batch of first checks).
  const stretches = sql`
    select l.channel_id, l.tenant_id, l.accounted_until as from_at, l.checked_at as to_at, l.state,
      l.degraded_from, l.time_zone
    from locked l
    where l.transition and l.channel_id in (select channel_id from updated)`;
  await sql`
    with input as (
      select * from jsonb_to_recordset(${json(batch.status)}::text::jsonb) as x(
        channel_id uuid, prev_state text, prev_since timestamptz, transition boolean, state text, reason text,
        since timestamptz, checked_at timestamptz, latency_ms integer, pending_state text, pending_reason text,
        pending_since timestamptz, reconnect_attempt integer, next_reconnect_at timestamptz,
        recent_reconnects jsonb, last_check_recorded_at timestamptz, webhook_checked_at timestamptz,
        silent_since timestamptz, monitor_error text)
    ),
    locked as (
      select s.channel_id, s.tenant_id, s.state, s.accounted_until, i.transition, i.checked_at,
        ${context.degradedFrom} as degraded_from, ${context.timeZone} as time_zone
      from public.channel_state s
      join input i on i.channel_id = s.channel_id
      join public.channels c on c.id = s.channel_id
      join public.tenants t on t.id = s.tenant_id
      where s.state = i.prev_state and date_trunc('milliseconds', s.since) = i.prev_since
      for update of s
    ),
    updated as (
      update public.channel_state s set
        state = i.state, reason = i.reason, since = i.since, latency_ms = i.latency_ms, pending_state = i.pending_state,
        pending_reason = i.pending_reason, pending_since = i.pending_since,
        reconnect_attempt = i.reconnect_attempt, next_reconnect_at = i.next_reconnect_at,
        recent_reconnects = array(select jsonb_array_elements_text(i.recent_reconnects)::timestamptz),
        last_check_recorded_at = i.last_check_recorded_at,
        -- A transition materializes the stretch up to it (below); the new state is accounted from there.
        accounted_until = case when i.transition then greatest(s.accounted_until, i.checked_at) else s.accounted_until end,
        webhook_checked_at = i.webhook_checked_at,
        -- An event received since the claim ends the silence the check computed.
        silent_since = case when date_trunc('milliseconds', s.last_event_at) > i.silent_since then null else i.silent_since end,
        monitor_error = i.monitor_error, monitor_error_at = case when i.monitor_error is null then null else i.checked_at end,
        updated_at = now()
      from input i
      where s.channel_id = i.channel_id and s.channel_id in (select channel_id from locked)
      returning s.channel_id
    ),
    released as (
      -- Lost the guard. The state stays as the webhook or person left it, but what this check did stays
      -- true (the reconnect it made and its backoff, the webhook read, the sample): the pass must not
      -- forget a reconnect and make another.
      update public.channel_state s set
        latency_ms = i.latency_ms, reconnect_attempt = i.reconnect_attempt, next_reconnect_at = i.next_reconnect_at,
        recent_reconnects = array(select jsonb_array_elements_text(i.recent_reconnects)::timestamptz),
        last_check_recorded_at = i.last_check_recorded_at, webhook_checked_at = i.webhook_checked_at
      from input i
      where s.channel_id = i.channel_id and s.channel_id not in (select channel_id from locked)
    ),
    given_back as (
      select * from jsonb_to_recordset(${json(batch.unchecked)}::text::jsonb)
        as b(channel_id uuid, last_checked_at timestamptz, next_check_at timestamptz)
    ),
    freed as (
      -- Written channels lose their lease now, and their last check moves from the claim to the check
      -- itself (a moment later, in the same row version): a transition's since is the check's time, and
      -- one after the last check reads as moved by a webhook, a live read at the next check
      -- (lib/monitor/bulk-state-reads.ts). The next check stays at least half an interval after the
      -- check, as the claim made it after the claim. Unchecked ones go back to their schedule before the claim.
      update public.channel_schedule k set lease_owner = null,
        last_checked_at = case when b.channel_id is null then greatest(k.last_checked_at, w.checked_at) else b.last_checked_at end,
        next_check_at = case when b.channel_id is null
          then greatest(k.next_check_at, w.checked_at + c.check_interval_seconds * interval '0.5 second') else b.next_check_at end
      from (select channel_id from input union select channel_id from given_back) ids
        left join given_back b on b.channel_id = ids.channel_id
        left join input w on w.channel_id = ids.channel_id
        left join public.channels c on c.id = ids.channel_id
      where k.channel_id = ids.channel_id and k.lease_owner = ${runId}
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
    hourly as (${upsertHourlyUptime(sql, { stretches, checks: batch.hourly, checksFor: sql`select channel_id from updated` })}),
    daily as (${upsertDailyUptime(sql, { stretches, checks: batch.daily, checksFor: sql`select channel_id from updated` })})
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
function reviveClaim(row: ClaimRow): ClaimRow {
  const status = row.status as unknown as Record<string, unknown>;
  reviveDates(status, DATE_FIELDS);
  status.recentReconnects = ((status.recentReconnects as string[] | null) ?? []).map((at) => new Date(at));
  reviveDates(row.webhook as unknown as Record<string, unknown>, WEBHOOK_DATE_FIELDS);
  return row;
}
