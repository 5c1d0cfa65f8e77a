import type { ChannelOutcome, ChannelStatusRow, ClaimedWebhook } from "@/lib/monitor/types";

/**
 * A check that changes nothing writes nothing but its claim (DESIGN.md, "Storage"). These decide what
 * "changes nothing" means, and when a check is worth keeping anyway.
 */

/** Raw checks are sampled (and the gateway's webhook read) once per quarter hour of the clock. */
export const SAMPLE_PERIOD_MS = 15 * 60_000;

/**
 * Due when `now` is in a later quarter hour than `last` (or nothing was ever recorded). The same
 * quarter hours for every channel: the first pass after each quarter records all of them at once, so a
 * page of status rows is written (and copied whole into the WAL after a checkpoint) once per quarter hour
 * rather than whenever each channel's own fifteen minutes run out.
 */
export function sampleDue(last: Date | null, now: Date, periodMs = SAMPLE_PERIOD_MS): boolean {
  return !last || Math.floor(now.getTime() / periodMs) !== Math.floor(last.getTime() / periodMs);
}

const same = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

/**
 * True when writing `outcome` would store nothing new: no transition, action or raw check, and every
 * field of the status row the monitor writes as it was claimed (latency aside: it is kept with the
 * samples). Such a check leaves only its claim behind.
 */
export function isQuiet(
  before: ChannelStatusRow,
  webhookBefore: Pick<ClaimedWebhook, "checkedAt" | "silentSince">,
  outcome: ChannelOutcome,
): boolean {
  const after = outcome.status;
  return !outcome.transition && !outcome.check && outcome.actions.length === 0
    && (outcome.monitorError ?? null) === (before.monitorError ?? null)
    && after.state === before.state && after.reason === before.reason && same(after.since, before.since)
    && after.pendingState === before.pendingState && after.pendingReason === before.pendingReason
    && same(after.pendingSince, before.pendingSince)
    && after.reconnectAttempt === before.reconnectAttempt && same(after.nextReconnectAt, before.nextReconnectAt)
    && after.recentReconnects.length === before.recentReconnects.length
    && after.recentReconnects.every((at, i) => same(at, before.recentReconnects[i]))
    && same(after.lastCheckRecordedAt, before.lastCheckRecordedAt)
    && same(outcome.webhook.checkedAt, webhookBefore.checkedAt)
    && same(outcome.webhook.silentSince, webhookBefore.silentSince);
}
