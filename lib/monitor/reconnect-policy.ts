import { NEEDS_A_PERSON, type ChannelState } from "@/lib/monitor/states";

/**
 * When the monitor may reconnect a channel on its own. Everything it reads and writes is persisted in
 * channel_status, so every invocation on every machine applies one policy.
 */

export interface ReconnectPolicy {
  /** Delay after the nth attempt, in minutes: about 1, 2, 4, 8, 16, then 30. */
  scheduleMinutes: readonly number[];
  /** ± fraction applied to each delay, so a fleet that dropped together does not retry together. */
  jitter: number;
  maxPerHour: number;
  /** A QR pairing requested this recently is in progress: restarting would break it. */
  qrGraceMs: number;
  /** `connecting` is normal for a while; only after this long does a restart help. */
  connectingRestartAfterMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = {
  scheduleMinutes: [1, 2, 4, 8, 16, 30],
  jitter: 0.2,
  maxPerHour: 6,
  qrGraceMs: 3 * 60_000,
  connectingRestartAfterMs: 3 * 60_000,
};

const HOUR_MS = 3_600_000;

export interface ReconnectState {
  state: ChannelState;
  since: Date;
  reconnectAttempt: number;
  nextReconnectAt: Date | null;
  recentReconnects: Date[];
  qrRequestedAt: Date | null;
}

export type ReconnectDecision =
  | { act: true }
  | { act: false; why: "not_needed" | "needs_a_person" | "waiting" | "qr_pairing" | "backoff" | "hourly_cap" };

export function decideReconnect(status: ReconnectState, now: Date, policy = DEFAULT_RECONNECT_POLICY): ReconnectDecision {
  if (NEEDS_A_PERSON.has(status.state)) {
    return { act: false, why: "needs_a_person" };
  }
  if (status.state !== "disconnected" && status.state !== "connecting") return { act: false, why: "not_needed" };
  if (status.state === "connecting" && now.getTime() - status.since.getTime() < policy.connectingRestartAfterMs) {
    return { act: false, why: "waiting" };
  }
  if (status.qrRequestedAt && now.getTime() - status.qrRequestedAt.getTime() < policy.qrGraceMs) {
    return { act: false, why: "qr_pairing" };
  }
  if (status.nextReconnectAt && status.nextReconnectAt > now) return { act: false, why: "backoff" };
  if (attemptsInLastHour(status.recentReconnects, now) >= policy.maxPerHour) return { act: false, why: "hourly_cap" };
  return { act: true };
}

export function attemptsInLastHour(attempts: Date[], now: Date): number {
  return attempts.filter((at) => now.getTime() - at.getTime() < HOUR_MS).length;
}

/** The policy fields after an automatic attempt at `now`. `random` is injected so tests are exact. */
export function recordAttempt(
  status: ReconnectState,
  now: Date,
  random: () => number,
  policy = DEFAULT_RECONNECT_POLICY,
): Pick<ReconnectState, "reconnectAttempt" | "nextReconnectAt" | "recentReconnects"> {
  const attempt = status.reconnectAttempt + 1;
  const minutes = policy.scheduleMinutes[Math.min(attempt, policy.scheduleMinutes.length) - 1];
  const factor = 1 + policy.jitter * (2 * random() - 1);
  return {
    reconnectAttempt: attempt,
    nextReconnectAt: new Date(now.getTime() + minutes * 60_000 * factor),
    recentReconnects: [...status.recentReconnects.filter((at) => now.getTime() - at.getTime() < HOUR_MS), now],
  };
}

/** Back to a clean slate once the channel is connected; the hourly record stays until it ages out. */
export function resetAfterRecovery(status: ReconnectState, now: Date) {
  return {
    reconnectAttempt: 0,
    nextReconnectAt: null,
    recentReconnects: status.recentReconnects.filter((at) => now.getTime() - at.getTime() < HOUR_MS),
  };
}
