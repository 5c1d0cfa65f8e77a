import type { ChannelState } from "@/lib/monitor/states";

/**
 * "Connected but silent": the field failure where a gateway says open and delivers nothing. A channel
 * is silent once it has been connected without any webhook event for longer than its threshold.
 */

export interface SilenceInput {
  state: ChannelState;
  /** When the channel entered its current state. */
  since: Date;
  /** When the receiver last accepted an event for the channel (our clock). */
  lastEventAt: Date | null;
  /** Null: silence is not watched for this channel. */
  thresholdSeconds: number | null;
}

export interface Silence {
  /** What "silent since …" shows: the last event, or the connection when none came after it. */
  since: Date;
  /** When the silence outgrew the threshold: from here on, connected time counts as degraded. */
  degradedFrom: Date;
}

/** The silence this channel is heading for, or null when it cannot be silent (not connected, not watched). */
export function silenceOf(input: SilenceInput): Silence | null {
  if (input.state !== "connected" || input.thresholdSeconds === null) return null;
  const since = input.lastEventAt && input.lastEventAt > input.since ? input.lastEventAt : input.since;
  return { since, degradedFrom: new Date(since.getTime() + input.thresholdSeconds * 1000) };
}

/** The `silent_since` to store at `now`: set only once the threshold has passed. */
export function silentSinceAt(input: SilenceInput, now: Date): Date | null {
  const silence = silenceOf(input);
  return silence && silence.degradedFrom <= now ? silence.since : null;
}
