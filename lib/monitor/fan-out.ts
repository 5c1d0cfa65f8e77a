import { planFanOut, type FanOutPlan } from "@/lib/monitor/plan-fan-out";
import type { PassSummary } from "@/lib/monitor/types";

/**
 * The cron route's pass past one function: when one invocation cannot finish the due channels within
 * its budget, it starts worker invocations (POST /api/cron/monitor/worker, through `callWorker`), checks
 * its own share meanwhile, and answers for all of them. Database, clock and HTTP are injected.
 *
 * What must stay true:
 * - Nothing here decides which channel anyone checks: every pass claims through the leased
 *   `FOR UPDATE SKIP LOCKED` claim (lib/db/monitor-store.ts), so workers, overlapping cron calls and
 *   this invocation never check one channel twice, however the plan splits them.
 * - Without fan-out (plan.workers 0) the answer is exactly the pass's own summary, as before.
 * - One incident evaluation per fanned-out pass (`afterAll`, after every worker), not one per invocation:
 *   it reads the whole fleet under one lock, and nine of them would queue on it past every budget.
 * - A worker that fails or does not answer never fails the pass: its unclaimed channels stay due (and
 *   count in `remaining`), its claimed ones come due again one interval after their claim.
 */

export interface FanOutDeps {
  clock: () => Date;
  /** Channels due at `now` that were not checked since `since` and are free to claim (MonitorStore.countDue). */
  countDue(now: Date, since: Date): Promise<number>;
  /** Checks per second one invocation finished in recent passes; null when none was measured. */
  measuredRate(now: Date): Promise<number | null>;
  /**
   * This invocation's own pass: at most `limit` channels when set. `afterWrites` false: without the
   * incident step (a fanned-out pass runs `afterAll` instead, once).
   */
  runPass(options: { limit?: number; budgetMs: number; afterWrites?: false }): Promise<PassSummary>;
  /** Starts worker `index` and resolves with its summary; rejects when it fails or does not answer in time. */
  callWorker(index: number): Promise<PassSummary>;
  /**
   * After a fanned-out pass, once every worker answered or gave up: the incident step and alerts for
   * the whole pass, on this invocation's run. Must not throw (it records its own errors).
   */
  afterAll?: (runId: string) => Promise<void>;
  log?: (message: string) => void;
}

export interface FanOutOptions {
  budgetMs: number;
  /** The budget minus the reserve for the last check: how long one invocation starts checks. */
  claimWindowMs: number;
  maxWorkers: number;
  fallbackChecksPerSecond: number;
}

/** The documented summary plus, when workers ran, what they did. */
export interface FanOutSummary extends PassSummary {
  workers?: {
    started: number;
    answered: number;
    /** One line per worker that failed or did not answer. */
    errors: string[];
    runIds: string[];
    /** What the plan was made from. */
    plan: { due: number; checksPerSecond: number; measured: boolean; capacity: number; share: number };
  };
}

export async function runFanOutPass(deps: FanOutDeps, options: FanOutOptions): Promise<FanOutSummary> {
  const startedAt = deps.clock();
  const [due, measured] = await Promise.all([deps.countDue(startedAt, startedAt), deps.measuredRate(startedAt)]);
  const plan = planFanOut({
    due, measuredChecksPerSecond: measured, fallbackChecksPerSecond: options.fallbackChecksPerSecond,
    claimWindowMs: options.claimWindowMs, maxWorkers: options.maxWorkers,
  });
  const budgetLeft = () => options.budgetMs - (deps.clock().getTime() - startedAt.getTime());
  if (plan.workers === 0) return deps.runPass({ budgetMs: budgetLeft() });

  const calls = Array.from({ length: plan.workers }, (_, index) => deps.callWorker(index));
  // Workers are already on their way: a failing own pass must not leave their answers unobserved.
  const own = deps.runPass({ limit: plan.share!, budgetMs: budgetLeft(), afterWrites: false });
  const [mine, ...theirs] = await Promise.allSettled([own, ...calls]);
  if (mine.status === "rejected") throw mine.reason;
  const summary = await aggregate(deps, startedAt, plan, due, mine.value, theirs);
  await deps.afterAll?.(mine.value.runId).catch((error: unknown) => {
    (deps.log ?? console.error)(`monitor fan-out: after-all step failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  return summary;
}

async function aggregate(
  deps: FanOutDeps, startedAt: Date, plan: FanOutPlan, due: number, mine: PassSummary,
  theirs: PromiseSettledResult<PassSummary>[],
): Promise<FanOutSummary> {
  const answered = theirs.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const errors = theirs.flatMap((result, index) =>
    result.status === "rejected" ? [`worker ${index + 1}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`] : []);
  for (const error of errors) (deps.log ?? console.error)(`monitor fan-out: ${error}`);
  const all = [mine, ...answered];
  const sum = (key: "checked" | "transitions" | "reconnects" | "failed") => all.reduce((total, s) => total + s[key], 0);
  // Counted once every worker is done: what is still due, unchecked and free is the pass's backlog.
  const remaining = await deps.countDue(deps.clock(), startedAt).catch(() => Math.max(...all.map((s) => s.remaining)));
  return {
    ok: true,
    runId: mine.runId,
    checked: sum("checked"),
    transitions: sum("transitions"),
    reconnects: sum("reconnects"),
    failed: sum("failed"),
    durationMs: deps.clock().getTime() - startedAt.getTime(),
    remaining,
    workers: {
      started: theirs.length,
      answered: answered.length,
      errors,
      runIds: answered.map((s) => s.runId),
      plan: { due, checksPerSecond: round(plan.checksPerSecond), measured: plan.measured, capacity: plan.capacity, share: plan.share! },
    },
  };
}

const round = (value: number) => Math.round(value * 10) / 10;
