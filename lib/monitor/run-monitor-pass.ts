import { createPassStateReads } from "@/lib/monitor/bulk-state-reads";
import { checkChannel, type CheckDeps } from "@/lib/monitor/check-channel";
import { HEARTBEAT_INTERVAL_MS } from "@/lib/monitor/run-liveness";
import type { ChannelOutcome, ClaimedChannel, MonitorStore, PassSummary, PassTrigger } from "@/lib/monitor/types";

export interface PassOptions {
  trigger: PassTrigger;
  /** Check every enabled channel, due or not (`monitor --once --all`). */
  all?: boolean;
  /** Only these channels: a person's forced reconnect checks the one channel at once (trigger 'manual'). */
  channelIds?: string[];
  concurrency: number;
  /** Channels claimed per round trip; also the write batch. */
  batchSize?: number;
  /** Claim at most this many channels: a fanned-out pass's own share (lib/monitor/fan-out.ts). */
  limit?: number;
  /** The pass must be done by then (the route's maxDuration minus a margin). */
  budgetMs: number;
  /** Worst case for one channel (state + restart + connect timeouts): no check starts later than budget − this. */
  checkReserveMs: number;
}

export interface PassDeps extends CheckDeps {
  store: MonitorStore;
  /**
   * Runs once the pass's checks are written, before the run is finished (the incident step,
   * lib/incidents/evaluate-incidents.ts). It must not fail the pass: it records its own errors, and
   * anything it still throws is logged here and dropped.
   */
  afterWrites?: (run: { runId: string; now: Date }) => Promise<unknown>;
}

const DEFAULT_BATCH = 500;

/**
 * One monitor pass: claim due channels (stalest first, leased so overlapping passes never check one
 * channel twice), check them with bounded concurrency, and write results in batches of one round trip.
 * Claiming is lazy: the next batch is claimed as soon as half a batch is left to hand out, so slots do
 * not wait for a claim at a batch boundary. Stops claiming, and starting checks, before
 * its budget runs out; what is left is `remaining`.
 *
 * While it runs it beats on its run row (lib/monitor/run-liveness.ts); it closes runs that stopped
 * beating without finishing (killed). Whatever fails, the run is finished with its error, what was
 * checked is written and no lease outlives the pass.
 */
export async function runMonitorPass(deps: PassDeps, options: PassOptions): Promise<PassSummary> {
  const startedAt = deps.clock();
  const lastStart = startedAt.getTime() + options.budgetMs - options.checkReserveMs;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const all = options.all ?? false;
  const runId = await deps.store.startRun(options.trigger, startedAt);
  const heartbeat = setInterval(() => {
    // A missed beat is not fatal: the next one, or the lease's own interval, covers it.
    deps.store.heartbeat(runId, deps.clock()).catch(() => {});
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  const tally = { checked: 0, transitions: 0, reconnects: 0, failed: 0 };
  // Per pass: each gateway's listing is read once and each sealed key decrypted once (bulk-state-reads.ts).
  const checkDeps: CheckDeps = { ...deps, stateReads: deps.stateReads ?? createPassStateReads({ secretKey: deps.secretKey }) };
  const beforeDeadline = () => deps.clock().getTime() < lastStart;

  // Claimed channels not yet handed to a slot. A batch is claimed when a slot finds nothing to take,
  // and the next one as soon as half a batch is left to hand out: its round trip overlaps the checks of
  // the other half, so slots do not sit idle at every batch boundary.
  let queue: (ClaimedChannel | undefined)[] = [];
  let head = 0;
  let left = options.limit ?? Infinity;
  let exhausted = false;
  let claimFailure: { error: unknown } | undefined;
  let claiming: Promise<void> | undefined;
  const claimBatch = async () => {
    try {
      if (left <= 0 || !beforeDeadline()) {
        exhausted = true;
        return;
      }
      const batch = await deps.store.claimChannels({
        runId, now: deps.clock(), passStartedAt: startedAt, limit: Math.min(batchSize, left), all, channelIds: options.channelIds,
      });
      if (batch.length === 0) {
        exhausted = true;
        return;
      }
      left -= batch.length;
      queue = head < queue.length ? [...queue.slice(head), ...batch] : batch;
      head = 0;
    } catch (error) {
      claimFailure ??= { error };
      exhausted = true;
    }
  };
  /** One claim at a time: whoever asks while one is under way waits for it. */
  const claimNext = (): Promise<void> => {
    claiming ??= claimBatch().then(() => {
      claiming = undefined;
    });
    return claiming;
  };

  const writer = batchWriter(deps.store, runId, batchSize);
  // Checks still running when the pass fails (a claim refused, say) finish and are written all the same.
  const checking = new Set<Promise<void>>();
  const check = async (channel: ClaimedChannel) => {
    // Its next check was set by its claim: one interval after this pass started (the schedulers' cadence).
    const outcome = await checkChannel(channel, checkDeps);
    tally.checked++;
    if (outcome.transition) tally.transitions++;
    if (outcome.reconnected) tally.reconnects++;
    if (outcome.failed) tally.failed++;
    writer.add(outcome);
  };
  try {
    await deps.store.closeAbandonedRuns(startedAt);
    await deps.store.materializeHours?.(startedAt);
    // One loop per slot (no promise per channel beyond its check): takes the next claimed channel, checks it.
    const slot = async () => {
      for (;;) {
        if (head === queue.length) {
          if (exhausted) return;
          await claimNext();
          continue;
        }
        const channel = queue[head]!;
        queue[head++] = undefined;
        if (queue.length - head <= batchSize / 2 && !exhausted) void claimNext();
        if (!beforeDeadline()) {
          writer.release(channel.channelId);
          continue;
        }
        const running = check(channel);
        checking.add(running);
        await running;
        checking.delete(running);
      }
    };
    await Promise.all(Array.from({ length: slots(options.concurrency, batchSize) }, slot));
    if (claimFailure) throw claimFailure.error;
    await writer.finish();
    await deps.afterWrites?.({ runId, now: deps.clock() }).catch((error: unknown) => {
      console.error(`monitor run ${runId}: after-writes step failed:`, error instanceof Error ? error.message : error);
    });
    const remaining = await deps.store.countDue(deps.clock(), startedAt, all, options.channelIds);
    const finishedAt = deps.clock();
    const summary = { ...tally, remaining, durationMs: finishedAt.getTime() - startedAt.getTime() };
    await deps.store.finishRun(runId, summary, finishedAt);
    return { ok: true, runId, ...summary };
  } catch (error) {
    // Each step on its own: with the database gone they all fail, and then the leases run out after one
    // interval and the next pass closes this run as abandoned.
    await Promise.allSettled(checking);
    await writer.finish().catch(() => {});
    await deps.store.releaseLeases(runId).catch(() => {});
    const finishedAt = deps.clock();
    await deps.store
      .finishRun(runId, { ...tally, remaining: 0, durationMs: finishedAt.getTime() - startedAt.getTime() }, finishedAt,
        error instanceof Error ? error.message : String(error))
      .catch(() => {});
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

/** Slots checking at once: the pass's concurrency, a whole number ≥ 1 (Infinity: one slot per channel of a batch). */
function slots(concurrency: number, batchSize: number): number {
  if (concurrency === Infinity) return batchSize;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  return concurrency;
}

/**
 * Collects outcomes and writes each full batch in the background, one write at a time, while checks go
 * on. Leases of channels skipped at the deadline are freed with the last write. A failed write does not
 * skip the ones after it (each is tried); finish() throws the first failure once all were tried.
 */
function batchWriter(store: MonitorStore, runId: string, batchSize: number) {
  let pending: ChannelOutcome[] = [];
  // A quiet outcome has nothing to write: only its channel is kept (not the outcome) until its batch goes.
  let quiet: string[] = [];
  const released: string[] = [];
  let writes: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  const flush = () => {
    const chunk = pending;
    const quietChunk = quiet;
    pending = [];
    quiet = [];
    const freed = released.splice(0);
    writes = writes.then(() =>
      store.writeOutcomes(runId, chunk, [...chunk.map((o) => o.channelId), ...quietChunk, ...freed], quietChunk).then(
        () => {},
        (error: unknown) => {
          failure ??= { error };
        },
      ),
    );
  };
  return {
    add(outcome: ChannelOutcome) {
      if (outcome.quiet) quiet.push(outcome.channelId);
      else pending.push(outcome);
      if (pending.length + quiet.length >= batchSize) flush();
    },
    release(channelId: string) {
      released.push(channelId);
    },
    async finish() {
      if (pending.length > 0 || quiet.length > 0 || released.length > 0) flush();
      await writes;
      if (failure) throw failure.error;
    },
  };
}
