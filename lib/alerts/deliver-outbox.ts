import { performance } from "node:perf_hooks";
import pMap from "p-map";
import { OutboxRowError, outboxMessage, outboxRecipient } from "@/lib/alerts/outbox-message";
import { quietUntil } from "@/lib/alerts/quiet-hours";
import { isCriticalIncident, type AlertKind, type AlertMessage, type AlertSender } from "@/lib/alerts/types";
import { claimAlerts, releaseAlert, settleAlert, type AlertSettlement, type ClaimedAlert } from "@/lib/db/alert-outbox";
import type { Db } from "@/lib/db/client";

/**
 * Sends queued alerts (lib/db/alert-outbox.ts): from every monitor pass right after its incident step,
 * from POST /api/cron/alerts, and at once for a test alert. What must stay true:
 * - idempotent under overlapping runs: rows are leased (SKIP LOCKED) and settled only by their holder,
 *   and a sent row is never due again, so two runs or a repeated cron call never send a row twice;
 * - bounded: at most `limit` sends, none started after `budgetMs`, no row left leased on return (the
 *   untried are released), and it never throws: a database failure ends the run with what it did;
 * - a failure that may pass is retried with exponential backoff (RETRY_BASE_MS doubling up to
 *   RETRY_MAX_MS) until MAX_AGE_MS after the row was queued; one that needs a person fails at once;
 * - quiet hours (the contact's, in the tenant's time zone) put a row back until they end, unless the
 *   incident is critical (lib/alerts/types.ts: isCriticalIncident) and the contact lets critical states
 *   through. Test alerts ignore quiet hours: a person asked for one now.
 */

export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 30 * 60_000;
export const MAX_AGE_MS = 24 * 3_600_000;

export interface AlertDeliveryDeps {
  db: Db;
  senders: Record<AlertKind, AlertSender>;
  /** The schedule's clock (due rows, backoff, quiet hours, 24 h): the caller's, so tests move it. */
  clock: () => Date;
  secretKey: string;
}

export interface AlertDeliveryOptions {
  limit: number;
  budgetMs: number;
  /** Sends in flight at once. */
  concurrency?: number;
  /** Only these rows, due or not (a test alert sent at once). */
  ids?: string[];
}

export interface AlertDeliverySummary {
  sent: number;
  retrying: number;
  failed: number;
  /** Put back until quiet hours end. */
  deferred: number;
  /** Set when the run stopped on a database error (what it did before stays done). */
  error?: string;
}

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

const CLAIM_BATCH = 50;

export async function deliverAlerts(deps: AlertDeliveryDeps, options: AlertDeliveryOptions): Promise<AlertDeliverySummary> {
  const deadline = performance.now() + options.budgetMs;
  const summary: AlertDeliverySummary = { sent: 0, retrying: 0, failed: 0, deferred: 0 };
  let started = 0;
  const mayStart = () => started < options.limit && performance.now() < deadline;
  const tally: Record<AlertSettlement["kind"], keyof Omit<AlertDeliverySummary, "error">> = {
    sent: "sent", retry: "retrying", failed: "failed", deferred: "deferred",
  };

  const handle = async (row: ClaimedAlert) => {
    if (!mayStart()) return releaseAlert(deps.db, row);
    started++;
    const result = await attempt(deps, row);
    if (await settleAlert(deps.db, row, result, deps.clock())) summary[tally[result.kind]]++;
  };

  try {
    while (mayStart()) {
      const batch = await claimAlerts(deps.db, {
        now: deps.clock(),
        limit: Math.min(CLAIM_BATCH, options.limit - started),
        ids: options.ids,
      });
      if (batch.length === 0) break;
      await pMap(batch, handle, { concurrency: options.concurrency ?? 8 });
      if (options.ids) break;
    }
  } catch (error) {
    summary.error = error instanceof Error ? error.message : String(error);
  }
  return summary;
}

/** One row: decide whether it goes now, send it, and say how to settle it. Never throws. */
async function attempt(deps: AlertDeliveryDeps, row: ClaimedAlert): Promise<AlertSettlement> {
  const now = deps.clock();
  const tooOld = row.event !== "test" && now.getTime() - row.createdAt.getTime() >= MAX_AGE_MS;
  if (!row.contact.enabled) return { kind: "failed", error: "the contact is disabled" };
  if (tooOld && row.attempts === 1) return { kind: "failed", error: "not sent within 24 h of being queued (was the monitor stopped?)" };

  let message: AlertMessage;
  let recipient;
  try {
    message = outboxMessage(row, now);
    recipient = outboxRecipient(row, deps.secretKey);
  } catch (error) {
    if (error instanceof OutboxRowError) return { kind: "failed", error: error.message };
    return { kind: "retry", error: String((error as Error).message ?? error), nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts)) };
  }

  const quiet = row.contact.quietStart && row.contact.quietEnd ? { start: row.contact.quietStart, end: row.contact.quietEnd } : null;
  const overrides = message.incident !== null && isCriticalIncident(message.incident) && row.contact.criticalOverridesQuiet;
  if (row.event !== "test" && !overrides) {
    const until = quietUntil(now, row.tenant.timezone, quiet);
    if (until) return { kind: "deferred", until };
  }

  let outcome;
  try {
    outcome = await deps.senders[recipient.kind].send({ recipient, message, deliveryId: row.id });
  } catch (error) {
    // Senders never throw by contract; one that does is treated as a failure that may pass.
    outcome = { ok: false as const, error: `sender failed: ${(error as Error).message ?? error}`, retry: true };
  }
  if (outcome.ok) return { kind: "sent", detail: outcome.detail };
  if (!outcome.retry) return { kind: "failed", error: outcome.error };
  if (tooOld) return { kind: "failed", error: `${outcome.error}; not delivered within 24 h` };
  return { kind: "retry", error: outcome.error, nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts)) };
}
