import { deliverAlertsAfterPass } from "@/lib/alerts/runtime";
import { getSql, type Sql } from "@/lib/db/client";
import { createWebhookAdoptionStore } from "@/lib/db/downstream";
import { createIncidentStore } from "@/lib/db/incidents-store";
import { createMonitorStore } from "@/lib/db/monitor-store";
import { readPassRate } from "@/lib/db/monitor-runs";
import { env, requireEnv, type Env } from "@/lib/env";
import { incidentStep } from "@/lib/incidents/evaluate-incidents";
import { channelSecretKey } from "@/lib/local-secrets";
import { workerCaller } from "@/lib/monitor/call-worker";
import { runFanOutPass, type FanOutSummary } from "@/lib/monitor/fan-out";
import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import { runMonitorPass } from "@/lib/monitor/run-monitor-pass";
import type { PassSummary, PassTrigger } from "@/lib/monitor/types";
import { configuredOutboundPolicy } from "@/lib/net/configured-outbound";
import { createProviders } from "@/lib/providers/registry";
import { deliverPendingForwards } from "@/lib/webhooks/forward-queue";

/**
 * Wires the monitor library to this deployment: the database, the gateways, the secret key and the
 * real clock. The cron route, the CLI and the runner all call this; tests call runMonitorPass directly.
 * Every pass also retries queued downstream forwards, side by side with the checks and bounded on its
 * own (FORWARD_SHARE), so a slow platform never delays checking channels.
 */
export async function runConfiguredPass(options: {
  trigger: PassTrigger;
  all?: boolean;
  budgetMs: number;
  /** At most this many channels (a fanned-out cron pass's own share). */
  limit?: number;
  /**
   * false: no incident step nor alert delivery after the writes (a fanned-out pass's workers and its own
   * share: the cron invocation runs them once, after every worker answered; see runCronPass).
   */
  afterWrites?: boolean;
}): Promise<PassSummary> {
  const config = env();
  const secretKey = channelSecretKey();
  const sql = await getSql();
  const outbound = configuredOutboundPolicy();
  const forwarding = retryForwards({ db: sql, secretKey, clock: () => new Date(), outbound, timeoutMs: config.GATEWAY_TIMEOUT_MS }, options.budgetMs);
  const pass = runMonitorPass(
    {
      store: createMonitorStore(sql),
      providers: createProviders({ timeoutMs: config.GATEWAY_TIMEOUT_MS }),
      clock: () => new Date(),
      random: Math.random,
      secretKey,
      policy: DEFAULT_RECONNECT_POLICY,
      // Without APP_URL there is no receiver URL to hold gateways to: drift repair is skipped, and says so.
      webhookBaseUrl: config.APP_URL,
      webhookAdoption: { store: createWebhookAdoptionStore(sql, secretKey), outbound },
      // Incidents open, remind and resolve (queuing their alerts) from what this pass wrote; then
      // whatever alerts are due go out (bounded, never throwing), so an opening is told within its pass.
      afterWrites: options.afterWrites === false ? undefined : (run) => incidentsAndAlerts(sql, run, Math.min(ALERT_BUDGET_MS, options.budgetMs)),
    },
    {
      trigger: options.trigger,
      all: options.all,
      limit: options.limit,
      concurrency: config.MONITOR_CONCURRENCY,
      batchSize: claimBatch(config.MONITOR_CONCURRENCY),
      budgetMs: options.budgetMs,
      checkReserveMs: checkReserveMs(config),
    },
  );
  const [summary] = await Promise.all([pass, forwarding]);
  return summary;
}

async function incidentsAndAlerts(sql: Sql, run: { runId: string; now: Date }, alertBudgetMs: number) {
  const step = await incidentStep({ store: createIncidentStore(sql) })(run);
  if (alertBudgetMs > 0) await deliverAlertsAfterPass(alertBudgetMs);
  return step;
}

/**
 * Channels per claim (and per write): ten per concurrency slot, 500 to 5,000. A claim looks at every due
 * channel to pick the stalest (~0.1 s at 100,000 channels), so a pass running many checks at once claims
 * more at a time instead of scanning the fleet hundreds of times per interval.
 */
export function claimBatch(concurrency: number): number {
  return Math.min(5_000, Math.max(500, concurrency * 10));
}

/** A check is at most a state read plus a restart and a connect: no check starts later than budget − this. */
function checkReserveMs(config: Env): number {
  return 3 * config.GATEWAY_TIMEOUT_MS + 2_000;
}

/**
 * The cron route's pass (GET/POST /api/cron/monitor): one invocation, or fanned out to worker invocations
 * when it cannot finish the due channels within its budget (lib/monitor/fan-out.ts). Workers are called
 * on APP_URL, else on the origin this call reached (`origin`); they run runConfiguredPass and never fan out.
 */
export async function runCronPass(options: { budgetMs: number; origin: string }): Promise<FanOutSummary> {
  const config = env();
  const sql = await getSql();
  const store = createMonitorStore(sql);
  const callWorker = workerCaller({
    baseUrl: config.APP_URL ?? options.origin,
    secret: requireEnv("CRON_SECRET"),
    // Workers have the same budget and run no incident step: they answer within it, leaving this
    // invocation the rest of its maxDuration for the one incident step of the whole pass.
    timeoutMs: options.budgetMs,
  });
  const started = Date.now();
  return runFanOutPass(
    {
      clock: () => new Date(),
      countDue: (now, since) => store.countDue(now, since, false),
      measuredRate: (now) => readPassRate(sql, now),
      runPass: ({ limit, budgetMs, afterWrites }) => runConfiguredPass({ trigger: "cron", budgetMs, limit, afterWrites }),
      callWorker: () => callWorker(),
      // Once per fanned-out pass, on the cron invocation's run, from what every invocation wrote: one
      // evaluation of the whole fleet instead of one per worker queuing on the incident lock.
      afterAll: (runId) => incidentsAndAlerts(sql, { runId, now: new Date() },
        Math.min(ALERT_BUDGET_MS, options.budgetMs + AFTER_ALL_MARGIN_MS - (Date.now() - started))).then(() => {}),
    },
    {
      budgetMs: options.budgetMs,
      claimWindowMs: options.budgetMs - checkReserveMs(config),
      maxWorkers: config.MONITOR_MAX_WORKERS,
      // Until a pass is measured: one second per check per slot, far below what a healthy gateway allows.
      fallbackChecksPerSecond: config.MONITOR_CONCURRENCY,
    },
  );
}

/** Routes keep 10 s between their budget and maxDuration: alerts after a fanned-out pass stop 3 s before it. */
const AFTER_ALL_MARGIN_MS = 7_000;

/** Alerts a pass sends after its incident step start within this long (the rest wait for the next pass). */
const ALERT_BUDGET_MS = 20_000;

/** At most this many forwards per pass, none started after this share of the pass's budget. */
const FORWARD_SHARE = { limit: 1_000, budgetFraction: 0.5 };

/** Never throws: rows that could not be sent stay queued for the next pass. Logs only when something moved. */
async function retryForwards(deps: Parameters<typeof deliverPendingForwards>[0], budgetMs: number): Promise<void> {
  try {
    const done = await deliverPendingForwards(deps, { limit: FORWARD_SHARE.limit, budgetMs: budgetMs * FORWARD_SHARE.budgetFraction });
    if (done.delivered + done.retrying + done.failed + done.expired > 0) {
      console.log(`webhook forwards: ${done.delivered} delivered, ${done.retrying} to retry, ${done.failed + done.expired} failed`);
    }
  } catch (error) {
    console.error("webhook forwards: retry failed; rows stay queued:", error instanceof Error ? error.message : error);
  }
}
