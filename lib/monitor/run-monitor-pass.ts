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
 * channel twice), check them with bounded concurrency, and write results in batches of one round trip.
 * Claiming is lazy: the next batch is claimed as soon as the last channel of the current one is handed
 * to a free slot, so slots never wait for a batch boundary. Stops claiming, and starting checks, before
 * its budget runs out; what is left is `remaining`.
 */
export async function runMonitorPass(deps: PassDeps, options: PassOptions): Promise<PassSummary> {
  const startedAt = deps.clock();
  const lastStart = startedAt.getTime() + options.budgetMs - options.checkReserveMs;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const leaseMs = options.leaseMs ?? Math.max(60_000, options.budgetMs + 30_000);
  const all = options.all ?? false;
  const runId = await deps.store.startRun(options.trigger, startedAt);
  const tally = { checked: 0, transitions: 0, reconnects: 0, failed: 0 };
  const beforeDeadline = () => deps.clock().getTime() < lastStart;

  async function* claimedChannels() {
    while (beforeDeadline()) {
      const batch = await deps.store.claimChannels({
        runId, now: deps.clock(), passStartedAt: startedAt, limit: batchSize, leaseMs, all, channelIds: options.channelIds,
      });
      if (batch.length === 0) return;
      yield* batch;
    }
  }

  const writer = batchWriter(deps.store, runId, batchSize);
  try {
    await pMap(
      claimedChannels(),
      async (channel) => {
        if (!beforeDeadline()) return writer.release(channel.channelId);
        const outcome = await checkChannel(channel, deps);
        tally.checked++;
        if (outcome.transition) tally.transitions++;
        if (outcome.reconnected) tally.reconnects++;
        if (outcome.failed) tally.failed++;
        writer.add(outcome);
      },
      { concurrency: options.concurrency },
    );
    await writer.finish();
    const remaining = await deps.store.countDue(deps.clock(), startedAt, all, options.channelIds);
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

/**
 * Collects outcomes and writes each full batch in the background, one write at a time, while checks go
 * on. Leases of channels skipped at the deadline are freed with the last write.
 */
function batchWriter(store: MonitorStore, runId: string, batchSize: number) {
  let pending: ChannelOutcome[] = [];
  const released: string[] = [];
  let writes: Promise<void> = Promise.resolve();
  const flush = () => {
    const chunk = pending;
    pending = [];
    const freed = released.splice(0);
    writes = writes.then(() => store.writeOutcomes(runId, chunk, [...chunk.map((o) => o.channelId), ...freed]));
    // Handled here so a failed write is not an unhandled rejection; finish() still throws it.
    writes.catch(() => {});
  };
  return {
    add(outcome: ChannelOutcome) {
      pending.push(outcome);
      if (pending.length >= batchSize) flush();
    },
    release(channelId: string) {
      released.push(channelId);
    },
    async finish() {
      if (pending.length > 0 || released.length > 0) flush();
      await writes;
    },
  };
}
