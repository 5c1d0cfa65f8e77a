import pMap from "p-map";
import { checkChannel, type CheckDeps } from "@/lib/monitor/check-channel";
import type { ChannelOutcome, MonitorStore, PassSummary, PassTrigger } from "@/lib/monitor/types";

export interface PassOptions {
  trigger: PassTrigger;
  /** Check every enabled channel, due or not (`monitor --once --all`). */
  all?: boolean;
  /** Only these channels: a person's forced reconnect checks the one channel at once (trigger 'manual'). */
  channelIds?: string[];
  concurrency: number;
  /** Channels claimed per round trip; also the write batch. */
  batchSize?: number;
  /** How long a claim holds a channel; a crashed pass's channels are free again after this. */
  leaseMs?: number;
  /** The pass must be done by then (the route's maxDuration minus a margin). */
  budgetMs: number;
  /** Worst case for one channel (state + restart + connect timeouts): no check starts later than budget − this. */
  checkReserveMs: number;
}

export interface PassDeps extends CheckDeps {
  store: MonitorStore;
}

const DEFAULT_BATCH = 500;

/**
 * One monitor pass: claim due channels (stalest first, leased so overlapping passes never check one
 * channel twice), check them with bounded concurrency, and write each batch's results in one round trip.
 * Stops claiming before its budget runs out and reports what is left as `remaining`.
 */
export async function runMonitorPass(deps: PassDeps, options: PassOptions): Promise<PassSummary> {
  const startedAt = deps.clock();
  const deadline = startedAt.getTime() + options.budgetMs;
  const lastStart = deadline - options.checkReserveMs;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const leaseMs = options.leaseMs ?? Math.max(60_000, options.budgetMs + 30_000);
  const runId = await deps.store.startRun(options.trigger, startedAt);
  const tally = { checked: 0, transitions: 0, reconnects: 0, failed: 0 };

  try {
    while (deps.clock().getTime() < lastStart) {
      const claimed = await deps.store.claimChannels({
        runId, now: deps.clock(), passStartedAt: startedAt, limit: batchSize, leaseMs, all: options.all ?? false,
        channelIds: options.channelIds,
      });
      if (claimed.length === 0) break;
      const results = await pMap(
        claimed,
        (channel) => (deps.clock().getTime() < lastStart ? checkChannel(channel, deps) : undefined),
        { concurrency: options.concurrency },
      );
      const outcomes = results.filter((outcome): outcome is ChannelOutcome => outcome !== undefined);
      await deps.store.writeOutcomes(runId, outcomes, claimed.map((channel) => channel.channelId));
      tally.checked += outcomes.length;
      for (const outcome of outcomes) {
        if (outcome.transition) tally.transitions++;
        if (outcome.reconnected) tally.reconnects++;
        if (outcome.failed) tally.failed++;
      }
      if (outcomes.length < claimed.length) break;
    }
    const remaining = await deps.store.countDue(deps.clock(), startedAt, options.all ?? false, options.channelIds);
    const finishedAt = deps.clock();
    const summary = { ...tally, remaining, durationMs: finishedAt.getTime() - startedAt.getTime() };
    await deps.store.finishRun(runId, summary, finishedAt);
    return { ok: true, runId, ...summary };
  } catch (error) {
    const finishedAt = deps.clock();
    await deps.store
      .finishRun(runId, { ...tally, remaining: 0, durationMs: finishedAt.getTime() - startedAt.getTime() }, finishedAt,
        error instanceof Error ? error.message : String(error))
      .catch(() => {});
    throw error;
  }
}
