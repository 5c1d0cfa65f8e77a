/**
 * At most `limit` requests in flight to one gateway origin (scheme://host:port), whatever the pass's
 * concurrency (MONITOR_CONCURRENCY): a pass never floods one gateway, however many of its channels it
 * holds. What must stay true:
 * - a request waiting for a slot waits under its own deadline (`signal`): the time it queued counts
 *   against its timeout, so a check still never takes longer than its timeouts (the pass's
 *   checkReserveMs counts on it), and a slot is never handed to a request that already gave up;
 * - slots are handed out first come, first served, and every acquired slot is released exactly once.
 */

/** Requests in flight per gateway origin when nobody says otherwise (not an env contract: DESIGN.md names none). */
export const DEFAULT_PER_ORIGIN_LIMIT = 20;

export interface OriginLimiter {
  /** Resolves with a release function once a slot is free; rejects with `signal.reason` if it aborts first. */
  acquire(origin: string, signal?: AbortSignal): Promise<() => void>;
  /** Requests holding a slot for the origin now (tests, benchmarks). */
  inFlight(origin: string): number;
  readonly limit: number;
}

interface Waiter {
  grant: (release: () => void) => void;
}

interface Lane {
  active: number;
  queue: Waiter[];
}

export function createOriginLimiter(limit: number = DEFAULT_PER_ORIGIN_LIMIT): OriginLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`per-origin limit must be a whole number ≥ 1, got ${limit}`);
  const lanes = new Map<string, Lane>();

  const releaser = (origin: string, lane: Lane) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = lane.queue.shift();
      if (next) {
        next.grant(releaser(origin, lane));
        return;
      }
      lane.active--;
      if (lane.active === 0) lanes.delete(origin);
    };
  };

  return {
    limit,
    inFlight: (origin) => lanes.get(origin)?.active ?? 0,
    acquire(origin, signal) {
      signal?.throwIfAborted();
      let lane = lanes.get(origin);
      if (!lane) {
        lane = { active: 0, queue: [] };
        lanes.set(origin, lane);
      }
      if (lane.active < limit) {
        lane.active++;
        return Promise.resolve(releaser(origin, lane));
      }
      const queued = lane;
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          grant: (release) => {
            signal?.removeEventListener("abort", onAbort);
            resolve(release);
          },
        };
        const onAbort = () => {
          const at = queued.queue.indexOf(waiter);
          if (at >= 0) queued.queue.splice(at, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        queued.queue.push(waiter);
      });
    },
  };
}
