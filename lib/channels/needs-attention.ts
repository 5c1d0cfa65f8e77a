import { GOOD_UPTIME, MIN_RATIO_OBSERVED_SECONDS, uptimeRatio } from "@/lib/format/uptime";
import type { ChannelState } from "@/lib/monitor/states";

/**
 * Whether a channel needs someone: what /admin's "worst channels" lists, and nothing else. A healthy
 * channel (connected, with a week that shows green) and a paused one (switched off on purpose) do not
 * belong there, however few channels are in trouble.
 *
 * What must stay true: lib/db/fleet.ts's `where` says the same in SQL, from the constants below.
 */
export interface AttentionFacts {
  state: ChannelState;
  /** The monitor could not record this channel's last check: only platform staff can fix that. */
  monitorError: string | null;
  upSeconds7d: number;
  observedSeconds7d: number;
}

/** States that never need anyone by themselves. Connected still does when its week was poor. */
export const CALM_STATES = ["connected", "paused"] as const satisfies readonly ChannelState[];
/** The week's uptime below which a connected channel is listed (the figure shows amber or red). */
export const WEEK_UPTIME_FLOOR = GOOD_UPTIME;
export const WEEK_MIN_OBSERVED_SECONDS = MIN_RATIO_OBSERVED_SECONDS;

export function needsAttention(channel: AttentionFacts): boolean {
  if (channel.monitorError) return true;
  if (channel.state === "paused") return false;
  if (channel.state !== "connected") return true;
  const ratio = uptimeRatio({ upSeconds: channel.upSeconds7d, observedSeconds: channel.observedSeconds7d });
  return ratio !== null && ratio < WEEK_UPTIME_FLOOR;
}
