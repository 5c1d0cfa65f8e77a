/**
 * The last hours of monitor passes in fixed buckets, for /admin's duration chart and its count of
 * buckets without a pass. Every bucket from the one the first pass ever started in is there, an empty one
 * with `passes: 0`: a hole in the chart is a time nobody was watching. Buckets before the first pass are
 * left out: a stack started ten minutes ago has not missed the 23 h 50 min before it existed.
 */

export interface PassDurationBucket {
  /** Start of the bucket. */
  at: Date;
  passes: number;
  avgMs: number | null;
  maxMs: number | null;
  errors: number;
}

export interface PassWindow {
  bucketMs: number;
  /** Start of the oldest and of the newest (current) bucket, in ms. */
  start: number;
  end: number;
}

export function passWindow(now: Date, hours = 24, bucketMinutes = 15): PassWindow {
  const bucketMs = bucketMinutes * 60_000;
  const end = Math.floor(now.getTime() / bucketMs) * bucketMs;
  return { bucketMs, start: end - (hours * 3_600_000 - bucketMs), end };
}

/** `found` holds the buckets that had passes, keyed by their start in ms; `firstPassAt` is the first pass ever. */
export function fillPassBuckets(
  window: PassWindow,
  found: Map<number, Omit<PassDurationBucket, "at">>,
  firstPassAt: Date | null,
): PassDurationBucket[] {
  if (!firstPassAt) return [];
  const firstBucket = Math.floor(firstPassAt.getTime() / window.bucketMs) * window.bucketMs;
  const buckets: PassDurationBucket[] = [];
  for (let at = Math.max(window.start, firstBucket); at <= window.end; at += window.bucketMs) {
    const row = found.get(at);
    buckets.push({ at: new Date(at), passes: row?.passes ?? 0, avgMs: row?.avgMs ?? null, maxMs: row?.maxMs ?? null, errors: row?.errors ?? 0 });
  }
  return buckets;
}
