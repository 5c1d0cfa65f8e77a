import { holdWhileAwaitingScan, type Observation } from "@/lib/monitor/classify-state";
import type { ChannelState } from "@/lib/monitor/states";
import type { ChannelStatusRow } from "@/lib/monitor/types";

export interface DampedState {
  state: ChannelState;
  reason: string;
  since: Date;
  pendingState: ChannelState | null;
  pendingReason: string | null;
  pendingSince: Date | null;
  transition?: { from: ChannelState; to: ChannelState; reason: string; at: Date };
}

/**
 * Turns one observation into the channel's state. Leaving `connected` must be seen on two consecutive
 * checks (one blip is not an outage); recovery to `connected` counts at once; moves between
 * not-connected states, and the first verdict on a never-checked or paused channel, count at once.
 */
export function applyObservation(status: ChannelStatusRow, seen: Observation, now: Date): DampedState {
  const observation = holdWhileAwaitingScan(status.state, seen);
  const settled = { pendingState: null, pendingReason: null, pendingSince: null };
  if (observation.state === status.state) {
    return { state: status.state, reason: observation.reason, since: status.since, ...settled };
  }
  const leavingConnected = status.state === "connected";
  if (leavingConnected && status.pendingState === null) {
    return {
      state: status.state,
      reason: status.reason ?? "open",
      since: status.since,
      pendingState: observation.state,
      pendingReason: observation.reason,
      pendingSince: now,
    };
  }
  const since = leavingConnected && status.pendingSince ? status.pendingSince : now;
  return {
    state: observation.state,
    reason: observation.reason,
    since,
    ...settled,
    transition: { from: status.state, to: observation.state, reason: observation.reason, at: since },
  };
}
