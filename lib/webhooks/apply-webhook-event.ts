import type { Db } from "@/lib/db/client";
import {
  applyStateEvent,
  findWebhookChannel,
  recordEventReceived,
  type WebhookChannel,
  type WebhookChannelStatus,
} from "@/lib/db/webhook-events";
import { classifyReport, holdWhileAwaitingScan, type Observation } from "@/lib/monitor/classify-state";
import type { StateReport, WebhookEvent } from "@/lib/providers/types";

/**
 * What a gateway push does to a channel. State events are classified exactly as the monitor classifies
 * a check, and apply at once (no flap damping: the gateway itself says what happened). They are
 * idempotent whatever the delivery order: the gateway's own time (then the dedupe key) orders them, so a
 * repeat or an older event arriving late changes nothing; and the write is guarded on the state and
 * accounting it was computed from, so concurrent deliveries and a monitor pass in flight never apply
 * anything twice.
 */

export type ApplyOutcome =
  /** The state changed; a transition was recorded. */
  | "transition"
  /** Newest event so far, same state as before (reason and ordering updated). */
  | "unchanged"
  /** A repeat, or older than the newest event applied: dropped. */
  | "stale"
  /** Monitoring is paused: the event only counts as a sign of life. */
  | "paused"
  /** Not a state event (QR shown, a status without a state): noted as a sign of life. */
  | "noted"
  /** An event Sentinela does not read (messages, contacts, …): acknowledged, noted as a sign of life. */
  | "ignored";

type StateEvent = Extract<WebhookEvent, { kind: "connection" | "status" | "logout" }>;

// A guarded write loses only to another write that landed in between; each loss means progress.
const MAX_ATTEMPTS = 8;

const STATUS_STATES: Record<string, StateReport["state"]> = { open: "open", connecting: "connecting", closed: "close", close: "close" };

/** The state report a state event amounts to, or null when it carries no state (e.g. status "removed"). */
export function stateReportOf(event: StateEvent): StateReport | null {
  switch (event.kind) {
    case "connection":
      // Everything the gateway said about the session, exactly as a check would report it.
      return {
        state: event.state,
        reasonCode: event.reasonCode,
        ...(event.neverPaired ? { neverPaired: true } : {}),
        ...(event.awaitingScan ? { awaitingScan: true } : {}),
        ...(event.closedOnGateway ? { closedOnGateway: event.closedOnGateway } : {}),
        ...(event.gatewayStatus ? { gatewayStatus: event.gatewayStatus } : {}),
        // The provider's refusal or limit on sending (Cloud API account and quality updates).
        ...(event.sending ? { sending: event.sending } : {}),
        latencyMs: 0,
      };
    case "status": {
      const state = STATUS_STATES[event.status.toLowerCase()];
      return state ? { state, reasonCode: event.reasonCode, latencyMs: 0 } : null;
    }
    case "logout":
      // The device was unlinked: exactly what close 401 (loggedOut) means.
      return { state: "close", reasonCode: 401, latencyMs: 0 };
  }
}

/** Strictly after the newest state event applied, in the gateway's order. */
export function isNewerEvent(event: { occurredAt: Date; dedupeKey: string }, status: WebhookChannelStatus): boolean {
  if (!status.lastEventOccurredAt || status.lastEventKey === null) return true;
  const delta = event.occurredAt.getTime() - status.lastEventOccurredAt.getTime();
  return delta > 0 || (delta === 0 && event.dedupeKey > status.lastEventKey);
}

export async function applyWebhookEvent(db: Db, channel: WebhookChannel, event: WebhookEvent, now: Date): Promise<ApplyOutcome> {
  if (event.kind === "ignored") {
    await recordEventReceived(db, channel.channelId, now);
    return "ignored";
  }
  if (event.kind === "qrcode") {
    // A QR on screen means a pairing is in progress; without one (QR limit reached) nothing is shown.
    await recordEventReceived(db, channel.channelId, now, { qrShown: Boolean(event.code || event.base64) });
    return "noted";
  }
  const report = stateReportOf(event);
  if (!report) {
    await recordEventReceived(db, channel.channelId, now);
    return "noted";
  }
  return applyObservation(db, channel, event, classifyReport(report), now);
}

async function applyObservation(
  db: Db,
  channel: WebhookChannel,
  event: StateEvent,
  observation: Observation,
  now: Date,
): Promise<ApplyOutcome> {
  let status: WebhookChannelStatus | undefined = channel.status;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) status = (await findWebhookChannel(db, channel.channelId))?.status;
    if (!status || !isNewerEvent(event, status)) return "stale";
    if (!channel.monitoringEnabled || status.state === "paused") {
      await recordEventReceived(db, channel.channelId, now);
      return "paused";
    }
    const verdict = holdWhileAwaitingScan(status.state, observation);
    const changed = verdict.state !== status.state;
    const at = changed ? transitionTime(status, now) : now;
    const applied = await applyStateEvent(db, {
      channelId: channel.channelId,
      tenantId: channel.tenantId,
      expected: { state: status.state, accountedUntil: status.accountedUntil },
      to: { state: verdict.state, reason: verdict.reason },
      receivedAt: at,
      occurredAt: event.occurredAt,
      dedupeKey: event.dedupeKey,
    });
    if (applied) return changed ? "transition" : "unchanged";
  }
  throw new Error(`channel ${channel.channelId}: status kept changing under ${MAX_ATTEMPTS} attempts to apply a webhook event`);
}

/**
 * When a transition is recorded: our clock at arrival, but never before the transition it follows (the
 * status row's `since`) nor before the time already accounted. Parallel deliveries read the clock in one
 * order and win the channel's row in another. The write applies only if the row still holds the state
 * and `accounted_until` read here (its guard), and every writer that records a transition moves one of
 * them, so this is strictly after every transition committed before it: the timeline's order is the
 * commit order, and accounted time never runs backwards (which would count seconds twice).
 */
export function transitionTime(status: Pick<WebhookChannelStatus, "since" | "accountedUntil">, now: Date): Date {
  return new Date(Math.max(now.getTime(), status.since.getTime() + 1, status.accountedUntil?.getTime() ?? -Infinity));
}
