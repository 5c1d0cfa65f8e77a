/**
 * GET /api/health: is the monitor actually recording? A dead-man's switch must not say 200 while passes
 * run and record nothing. Healthy when, in this order:
 *   1. a pass finished without error within 3 intervals (scheduled passes only: a person's "check now"
 *      is not the monitor running);
 *   2. the latest finished pass did not fail (an error, or killed and closed as abandoned) — one good
 *      pass clears it, so a single transient failure costs at most one interval of 503;
 *   3. the latest finished pass did not check nothing while channels were due;
 *   4. no monitored channel is overdue by more than 3 intervals (what a pass that "succeeds" without
 *      recording anything, e.g. with every lease stuck, leaves behind).
 * A database that cannot be read is unhealthy too: 503 with a body, never a 500.
 */

export interface LatestRun {
  finishedAt: Date;
  error: string | null;
  checked: number;
  remaining: number;
}

export interface MonitorHealthFacts {
  /** The last scheduled pass that finished without error. */
  lastPassAt: Date | null;
  /** The last scheduled pass that finished at all. */
  latest: LatestRun | null;
  /** Monitored channels whose next check is further than `cutoff` in the past. */
  overdueChannels: number;
}

export interface MonitorHealth {
  ok: boolean;
  lastPassAt: Date | null;
  ageSeconds: number | null;
  thresholdSeconds: number;
  /** Why it is unhealthy; null when healthy. */
  reason: string | null;
}

/** Channels whose next check is older than this are overdue (fact 4). */
export function overdueCutoff(now: Date, intervalSeconds: number): Date {
  return new Date(now.getTime() - 3 * intervalSeconds * 1000);
}

function unhealthyBecause(facts: MonitorHealthFacts, ageSeconds: number | null, thresholdSeconds: number): string | null {
  const { lastPassAt, latest, overdueChannels } = facts;
  if (lastPassAt === null || ageSeconds === null) {
    return latest ? "no monitor pass has finished without error yet" : "no monitor pass has finished yet";
  }
  if (ageSeconds > thresholdSeconds) {
    return `no monitor pass finished without error in the last ${thresholdSeconds} s (the last one ${ageSeconds} s ago)`;
  }
  if (latest?.error) {
    // The error itself is for platform staff (/admin): this endpoint is public.
    const what = latest.error.startsWith("abandoned") ? "was killed (abandoned without finishing)" : "failed";
    return `the last monitor pass ${what} at ${latest.finishedAt.toISOString()}; its error is on /admin`;
  }
  if (latest && latest.checked === 0 && latest.remaining > 0) {
    return `the last monitor pass checked no channel while ${latest.remaining} were due`;
  }
  if (overdueChannels > 0) {
    return `${overdueChannels} monitored channel(s) overdue by more than ${thresholdSeconds} s: due channels are not being checked`;
  }
  return null;
}

export function assessHealth(facts: MonitorHealthFacts, now: Date, intervalSeconds: number): MonitorHealth {
  const thresholdSeconds = 3 * intervalSeconds;
  const ageSeconds = facts.lastPassAt
    ? Math.max(0, Math.round((now.getTime() - facts.lastPassAt.getTime()) / 1000))
    : null;
  const reason = unhealthyBecause(facts, ageSeconds, thresholdSeconds);
  return { ok: reason === null, lastPassAt: facts.lastPassAt, ageSeconds, thresholdSeconds, reason };
}

/**
 * Reads the facts and assesses them; never throws. A read that fails or takes longer than `timeoutMs`
 * (a stopped or hung database) is an unhealthy answer of its own.
 */
export async function checkMonitorHealth(input: {
  readFacts: (now: Date, intervalSeconds: number) => Promise<MonitorHealthFacts>;
  now: Date;
  intervalSeconds: number;
  timeoutMs?: number;
  log?: (message: string) => void;
}): Promise<MonitorHealth> {
  const { now, intervalSeconds } = input;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${input.timeoutMs ?? 5000} ms`)), input.timeoutMs ?? 5000);
  });
  try {
    const read = input.readFacts(now, intervalSeconds);
    read.catch(() => {});
    return assessHealth(await Promise.race([read, timedOut]), now, intervalSeconds);
  } catch (error) {
    (input.log ?? console.error)(`health: the database could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return {
      ok: false, lastPassAt: null, ageSeconds: null, thresholdSeconds: 3 * intervalSeconds,
      reason: "the database is unreachable: the monitor cannot record anything",
    };
  } finally {
    clearTimeout(timer);
  }
}
