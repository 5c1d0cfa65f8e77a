/**
 * How a pass shows it is alive, and how long a claim holds a channel.
 *
 * A claim leases a channel until its next check is due (one interval from the pass's start: the claim
 * moves the schedule on, lib/db/monitor-store.ts). While the lease runs, nobody else claims the channel
 * unless its pass finished cleanly; after it, the channel is free unless its pass still beats (its
 * monitor_runs row's heartbeat_at is fresher than HEARTBEAT_STALE_MS), so a slow check in a live pass is
 * never checked twice, while a killed pass's channels come due again one interval after they were
 * claimed, whatever the entry point's budget, and without any per-channel write to renew or release
 * anything (a check that changes nothing writes nothing after its claim).
 *
 * What must stay true: HEARTBEAT_STALE_MS ≤ the shortest check interval (10 s, a check constraint on
 * channels), or a dead pass would cost more than one interval; and it spans several beats, so one late
 * beat (a busy database) does not make a live pass look dead.
 */
export const HEARTBEAT_INTERVAL_MS = 3_000;
export const HEARTBEAT_STALE_MS = 10_000;

/** A pass whose last beat is older than this, and that never finished, was killed. */
export function staleBefore(now: Date): Date {
  return new Date(now.getTime() - HEARTBEAT_STALE_MS);
}

export type PassProgress = "finished" | "running" | "stalled";

/**
 * What a monitor_runs row says about its pass. Running only while it has not finished AND still beats:
 * a killed pass keeps finished_at null until the next pass closes it (monitor-store.ts), and if no pass
 * ever comes it would read "running" forever.
 */
export function passProgress(
  pass: { finishedAt: Date | null; startedAt: Date; heartbeatAt: Date | null },
  now: Date,
): PassProgress {
  if (pass.finishedAt) return "finished";
  const lastSign = pass.heartbeatAt ?? pass.startedAt;
  // The same line as the sweep that closes abandoned runs (coalesce(heartbeat_at, started_at) < staleBefore).
  return lastSign.getTime() >= staleBefore(now).getTime() ? "running" : "stalled";
}
