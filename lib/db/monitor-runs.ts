import type { Db } from "@/lib/db/client";
import { overdueCutoff, type MonitorHealthFacts } from "@/lib/monitor/monitor-health";

export interface MonitorLiveness {
  lastPassAt: Date | null;
  ageSeconds: number | null;
  thresholdSeconds: number;
  alive: boolean;
}

/** A monitor is alive when a pass finished without error within three intervals. */
export function livenessOf(lastPassAt: Date | null, now: Date, intervalSeconds: number): MonitorLiveness {
  const thresholdSeconds = 3 * intervalSeconds;
  const ageSeconds = lastPassAt ? Math.max(0, Math.round((now.getTime() - lastPassAt.getTime()) / 1000)) : null;
  return { lastPassAt, ageSeconds, thresholdSeconds, alive: ageSeconds !== null && ageSeconds <= thresholdSeconds };
}

/** Works for every role: the SQL function is security definer and reveals only a timestamp. */
export async function getLastPassAt(db: Db): Promise<Date | null> {
  const [row] = await db<{ at: Date | null }[]>`select public.monitor_last_pass() as at`;
  return row?.at ?? null;
}

/**
 * What /api/health judges (lib/monitor/monitor-health.ts), in one statement. Service path: reads
 * monitor_runs and channel_schedule directly. Cheap at any size: the runs by the finished_at index, the
 * overdue channels by a scan of the narrow schedule (its next_check_at is not indexed: the claim that
 * moves it every check stays a HOT update).
 */
export async function readHealthFacts(db: Db, now: Date, intervalSeconds: number): Promise<MonitorHealthFacts> {
  const [row] = await db<{
    lastPassAt: Date | null; finishedAt: Date | null; error: string | null; checked: number | null;
    remaining: number | null; overdue: number;
  }[]>`
    select
      (select max(finished_at) from public.monitor_runs where error is null and trigger <> 'manual') as "lastPassAt",
      latest.finished_at as "finishedAt", latest.error, latest.checked, latest.remaining,
      (select count(*)::int from public.channel_schedule k join public.channels c on c.id = k.channel_id
        where c.monitoring_enabled and k.next_check_at < ${overdueCutoff(now, intervalSeconds)}) as overdue
    from (select 1) one
    left join lateral (
      select finished_at, error, checked, remaining from public.monitor_runs
      where finished_at is not null and trigger <> 'manual'
      order by finished_at desc limit 1
    ) latest on true
  `;
  return {
    lastPassAt: row.lastPassAt,
    latest: row.finishedAt
      ? { finishedAt: row.finishedAt, error: row.error, checked: row.checked ?? 0, remaining: row.remaining ?? 0 }
      : null,
    overdueChannels: row.overdue,
  };
}

const RATE_MIN_CHECKS = 100;
const RATE_RUNS = 20;

/**
 * Checks per second one invocation managed in recent passes (lib/monitor/plan-fan-out.ts), or null when
 * none qualifies. Only passes that checked at least RATE_MIN_CHECKS count: a handful of checks measures a
 * gateway's latency, not a pass's throughput. Scheduled and CLI passes alike, the last day, no errors.
 */
export async function readPassRate(db: Db, now: Date): Promise<number | null> {
  const [row] = await db<{ checked: number | null; ms: number | null }[]>`
    select sum(checked)::float8 as checked, sum(duration_ms)::float8 as ms from (
      select checked, duration_ms from public.monitor_runs
      where finished_at > ${new Date(now.getTime() - 86_400_000)} and finished_at <= ${now}
        and error is null and trigger <> 'manual' and checked >= ${RATE_MIN_CHECKS} and duration_ms > 0
      order by finished_at desc limit ${RATE_RUNS}
    ) recent
  `;
  return row.checked && row.ms ? (row.checked * 1000) / row.ms : null;
}
