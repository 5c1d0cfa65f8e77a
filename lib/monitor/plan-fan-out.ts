/**
 * How many worker invocations a cron pass starts (POST /api/cron/monitor/worker), from what is due, how
 * fast one invocation checks, and how long it may start checks. Pure: data in, plan out.
 *
 * What must stay true:
 * - One invocation that can finish the due channels within its window starts no worker (`workers` 0,
 *   `share` null): a small deployment never pays for fan-out, and its cron answer is the plain summary.
 * - Never more than `maxWorkers` workers (MONITOR_MAX_WORKERS); 0 turns fan-out off.
 * - The cron invocation's own share is at most its fair part of the due channels, never unlimited while
 *   workers run: workers drain the rest through the same leased claims, so nothing is checked twice and
 *   nothing waits on the invocation that also has to answer for all of them.
 */

export interface FanOutInput {
  /** Channels due now and free to claim. */
  due: number;
  /** Checks one invocation finished per second in recent passes; null when none was measured yet. */
  measuredChecksPerSecond: number | null;
  /** Assumed when nothing was measured: deliberately low (more workers rather than a backlog). */
  fallbackChecksPerSecond: number;
  /** How long one invocation may start checks: its budget minus the reserve for the last check. */
  claimWindowMs: number;
  maxWorkers: number;
}

export interface FanOutPlan {
  /** Worker invocations to start; 0: this invocation checks everything itself, as before fan-out. */
  workers: number;
  /** Channels this invocation claims itself; null: no limit (no workers). */
  share: number | null;
  /** Channels one invocation is expected to check within its window. */
  capacity: number;
  checksPerSecond: number;
  measured: boolean;
}

/** Planned below the measured rate: rates vary between runs, and a worker too many is cheaper than a backlog. */
export const FAN_OUT_HEADROOM = 0.8;

export function planFanOut(input: FanOutInput): FanOutPlan {
  const measured = input.measuredChecksPerSecond !== null && input.measuredChecksPerSecond > 0;
  const checksPerSecond = measured ? input.measuredChecksPerSecond! : input.fallbackChecksPerSecond;
  const capacity = Math.max(1, Math.floor(checksPerSecond * (Math.max(0, input.claimWindowMs) / 1000) * FAN_OUT_HEADROOM));
  const base = { capacity, checksPerSecond, measured };
  if (input.maxWorkers <= 0 || input.due <= capacity) return { ...base, workers: 0, share: null };
  const invocations = Math.ceil(input.due / capacity);
  const workers = Math.min(input.maxWorkers, invocations - 1);
  return { ...base, workers, share: Math.ceil(input.due / (workers + 1)) };
}
