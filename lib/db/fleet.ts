import { CALM_STATES, WEEK_MIN_OBSERVED_SECONDS, WEEK_UPTIME_FLOOR } from "@/lib/channels/needs-attention";
import { SEVERITY } from "@/lib/db/channel-health";
import type { Db } from "@/lib/db/client";
import { fillPassBuckets, passWindow, type PassDurationBucket } from "@/lib/monitor/pass-buckets";
import { CHANNEL_STATES, type ChannelState } from "@/lib/monitor/states";

/**
 * The platform admins' view of every tenant at once. Each query reads through RLS like any other user
 * query (run them inside withUser): a platform admin sees every tenant and every monitor pass, anyone
 * else only their own tenants and no passes at all. Nothing here widens that.
 */

export interface TenantStateCounts {
  tenantId: string;
  slug: string;
  name: string;
  total: number;
  byState: Record<ChannelState, number>;
}

const emptyCounts = () => Object.fromEntries(CHANNEL_STATES.map((state) => [state, 0])) as Record<ChannelState, number>;

/** Channels per state for each tenant the caller can see, tenants without channels included. */
export async function countStatesByTenant(db: Db): Promise<TenantStateCounts[]> {
  const rows = await db<{ tenantId: string; slug: string; name: string; state: ChannelState; count: number }[]>`
    select t.id as "tenantId", t.slug, t.name, coalesce(s.state, 'unknown') as state, count(c.id)::int as count
    from public.tenants t
    left join public.channels c on c.tenant_id = t.id
    left join public.channel_status s on s.channel_id = c.id
    group by t.id, t.slug, t.name, coalesce(s.state, 'unknown')
    order by t.name, t.id
  `;
  const byTenant = new Map<string, TenantStateCounts>();
  for (const row of rows) {
    let tenant = byTenant.get(row.tenantId);
    if (!tenant) {
      tenant = { tenantId: row.tenantId, slug: row.slug, name: row.name, total: 0, byState: emptyCounts() };
      byTenant.set(row.tenantId, tenant);
    }
    tenant.byState[row.state] += row.count;
    tenant.total += row.count;
  }
  return [...byTenant.values()];
}

export interface FleetChannel {
  id: string;
  displayName: string;
  tenantName: string;
  tenantTimezone: string;
  state: ChannelState;
  reason: string | null;
  /** Why the monitor could not record this channel's last check (not a state); for platform staff. */
  monitorError: string | null;
  since: Date;
  lastCheckedAt: Date | null;
  /** Over the last 7 local days of the channel's tenant, today included; 0/0 when nothing was observed. */
  upSeconds7d: number;
  observedSeconds7d: number;
}

/** States worst first, as /channels orders them; the database ranks by position in this list. */
const WORST_FIRST = [...CHANNEL_STATES].sort((a, b) => SEVERITY[a] - SEVERITY[b]);

/**
 * The channels that most need someone, across the fleet, and only those (lib/channels/needs-attention.ts:
 * the `where` below is its needsAttention in SQL): those the monitor could not record first (only staff
 * can fix that), then by state (what needs a person first), by how little of the last week they were up,
 * then by how long they have been like this.
 */
export async function listWorstChannels(db: Db, options: { now: Date; limit?: number }): Promise<FleetChannel[]> {
  return db<FleetChannel[]>`
    select c.id, c.display_name as "displayName", t.name as "tenantName", t.timezone as "tenantTimezone",
      coalesce(s.state, 'unknown') as state, s.reason, s.monitor_error as "monitorError", coalesce(s.since, c.created_at) as since,
      s.last_checked_at as "lastCheckedAt", coalesce(w.up, 0)::int as "upSeconds7d",
      coalesce(w.observed, 0)::int as "observedSeconds7d"
    from public.channels c
    join public.tenants t on t.id = c.tenant_id
    left join public.channel_status s on s.channel_id = c.id
    left join lateral (
      select sum(d.up_seconds) as up, sum(d.up_seconds + d.degraded_seconds + d.down_seconds) as observed
      from public.channel_uptime_daily d
      where d.channel_id = c.id and d.day > (${options.now}::timestamptz at time zone t.timezone)::date - 7
    ) w on true
    where s.monitor_error is not null
      or coalesce(s.state, 'unknown') <> all(${[...CALM_STATES]}::text[])
      or (s.state = 'connected' and w.observed >= ${WEEK_MIN_OBSERVED_SECONDS} and w.up::float8 / w.observed < ${WEEK_UPTIME_FLOOR})
    order by s.monitor_error is null, array_position(${WORST_FIRST}::text[], coalesce(s.state, 'unknown')),
      coalesce(w.up::float8 / nullif(w.observed, 0), 2), coalesce(s.since, c.created_at), c.id
    limit ${options.limit ?? 20}
  `;
}

export interface MonitorPass {
  id: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date | null;
  /** Last sign of life of an unfinished pass (lib/monitor/run-liveness.ts passProgress). */
  heartbeatAt: Date | null;
  durationMs: number | null;
  checked: number;
  transitions: number;
  reconnects: number;
  failed: number;
  remaining: number;
  error: string | null;
  /** The pass checked its channels but could not open or resolve incidents (alerts may be late). */
  incidentsError: string | null;
}

/** The most recent passes, newest first, unfinished ones included. Empty for anyone but platform staff. */
export async function listRecentPasses(db: Db, limit = 50): Promise<MonitorPass[]> {
  return db<MonitorPass[]>`
    select id, trigger, started_at as "startedAt", finished_at as "finishedAt", heartbeat_at as "heartbeatAt",
      duration_ms as "durationMs", checked, transitions, reconnects, failed, remaining, error,
      incidents_error as "incidentsError"
    from public.monitor_runs
    order by started_at desc, id
    limit ${limit}
  `;
}

export type { PassDurationBucket };

export interface PassDurations {
  /** When the first pass ever started; null before any. */
  firstPassAt: Date | null;
  /** Oldest first, from the window's start or the first pass's bucket, whichever is later. */
  buckets: PassDurationBucket[];
}

/**
 * Pass duration over the last `hours`, in `bucketMinutes` buckets (lib/monitor/pass-buckets.ts): an empty
 * bucket is a time nobody was watching, but only from the first pass on.
 */
export async function listPassDurations(
  db: Db,
  options: { now: Date; hours?: number; bucketMinutes?: number },
): Promise<PassDurations> {
  const window = passWindow(options.now, options.hours, options.bucketMinutes);
  const { bucketMs } = window;
  const [[first], rows] = await Promise.all([
    db<{ at: Date | null }[]>`select min(started_at) as at from public.monitor_runs`,
    db<{ bucket: number; passes: number; avgMs: number | null; maxMs: number | null; errors: number }[]>`
      select floor(extract(epoch from started_at) * 1000 / ${bucketMs})::float8 as bucket, count(*)::int as passes,
        round(avg(duration_ms))::int as "avgMs", max(duration_ms) as "maxMs",
        count(*) filter (where error is not null)::int as errors
      from public.monitor_runs
      where started_at >= ${new Date(window.start)} and started_at < ${new Date(window.end + bucketMs)}
      group by 1
    `,
  ]);
  const found = new Map(rows.map(({ bucket, ...row }) => [Number(bucket) * bucketMs, row]));
  return { firstPassAt: first?.at ?? null, buckets: fillPassBuckets(window, found, first?.at ?? null) };
}
