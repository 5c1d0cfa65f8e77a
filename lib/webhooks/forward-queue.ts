import { performance } from "node:perf_hooks";
import pMap from "p-map";
import type { Db } from "@/lib/db/client";
import { openDownstream } from "@/lib/db/downstream";
import {
  claimForwards,
  expireForwards,
  MAX_AGE_MS,
  releaseForward,
  settleForward,
  type ClaimedForward,
  type ForwardResult,
} from "@/lib/db/webhook-forwards";
import type { OutboundPolicy } from "@/lib/net/outbound-guard";
import { displayUrl, forwardUrl } from "@/lib/webhooks/downstream";
import { sendForward } from "@/lib/webhooks/forward-downstream";

/**
 * Sends queued forwards (lib/db/webhook-forwards.ts) to their downstreams: at once after the receiver
 * answered (one channel), and from every monitor pass (all channels), until each is delivered or 24 h
 * old. What must stay true:
 * - one channel's rows go out one after another in queue order (a channel is one instance: its
 *   platform sees events in the order we accepted them); different channels go out concurrently;
 * - the work is bounded: at most `limit` sends, none started after `budgetMs` (wall time), and no row
 *   left leased when it returns;
 * - a failure is retried with exponential backoff (RETRY_BASE_MS doubling up to RETRY_MAX_MS); a status
 *   the gateway itself never retries (400, 401, 403, 404, 422) drops the event at once, as the gateway
 *   would, so one bad event never holds its channel back for a day.
 */

export const RETRY_BASE_MS = 15_000;
export const RETRY_MAX_MS = 10 * 60_000;

export interface ForwardDeps {
  db: Db;
  secretKey: string;
  /** The schedule's clock (next attempts, 24 h): the caller's, so tests move it. */
  clock: () => Date;
  outbound?: OutboundPolicy;
  /** Injected in tests (a stand-in downstream behind a name that does not resolve here). */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface ForwardPassOptions {
  /** Only this channel's rows (the receiver's immediate attempt). */
  channelId?: string;
  limit: number;
  budgetMs: number;
  /** Channels sent to at the same time. */
  concurrency?: number;
}

export interface ForwardPassSummary {
  delivered: number;
  retrying: number;
  failed: number;
  /** Rows given up on this time for being 24 h old. */
  expired: number;
}

export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

export async function deliverPendingForwards(deps: ForwardDeps, options: ForwardPassOptions): Promise<ForwardPassSummary> {
  const deadline = performance.now() + options.budgetMs;
  const summary: ForwardPassSummary = { delivered: 0, retrying: 0, failed: 0, expired: 0 };
  if (!options.channelId) summary.expired = await expireForwards(deps.db, deps.clock());
  let started = 0;
  const mayStart = () => started < options.limit && performance.now() < deadline;

  // One channel's rows in turn: the next row is claimed only once the one before it is settled.
  const drainChannel = async (head: ClaimedForward) => {
    let row: ClaimedForward | undefined = head;
    while (row) {
      if (!mayStart()) return releaseForward(deps.db, row);
      started++;
      const result = await sendOne(deps, row);
      summary[result.kind === "delivered" ? "delivered" : result.kind === "retry" ? "retrying" : "failed"]++;
      await settleForward(deps.db, { id: row.id, attempts: row.attempts }, result, deps.clock());
      if (result.kind === "retry" || !mayStart()) return;
      [row] = await claimForwards(deps.db, { now: deps.clock(), limit: 1, channelId: row.channelId });
    }
  };

  while (mayStart()) {
    const heads = await claimForwards(deps.db, {
      now: deps.clock(), limit: Math.min(100, options.limit - started), channelId: options.channelId,
    });
    if (heads.length === 0) break;
    await pMap(heads, drainChannel, { concurrency: options.concurrency ?? 8 });
  }
  return summary;
}

async function sendOne(deps: ForwardDeps, row: ClaimedForward): Promise<ForwardResult> {
  const now = deps.clock();
  let downstream;
  try {
    downstream = row.mode === "off" ? null : openDownstream(row, deps.secretKey);
  } catch (error) {
    return { kind: "failed", error: `the downstream's stored secrets cannot be read: ${(error as Error).message}` };
  }
  if (!downstream) return { kind: "failed", error: "the channel has no downstream any more" };

  const sent = await sendForward(
    { url: forwardUrl(downstream, row.urlSuffix), headers: downstream.headers, body: row.body },
    { timeoutMs: deps.timeoutMs ?? 10_000, fetch: deps.fetch, outbound: deps.outbound },
  );
  if (sent.delivered) return { kind: "delivered", status: sent.status! };
  // Never the URL's query: the error names a host or a status at most.
  const error = `${displayUrl(downstream.url)}: ${sent.error ?? "not delivered"}`;
  if (sent.final) return { kind: "failed", status: sent.status, error };
  if (now.getTime() - row.createdAt.getTime() >= MAX_AGE_MS) return { kind: "failed", status: sent.status, error: `${error}; not delivered within 24 h` };
  return { kind: "retry", status: sent.status, error, nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts)) };
}
