/** Channel states (DESIGN.md's table) and what each counts as for uptime. */

export const CHANNEL_STATES = [
  "connected",
  "connecting",
  "disconnected",
  "needs_qr",
  "replaced",
  "provider_down",
  "misconfigured",
  "blocked",
  "restricted",
  "paused",
  "unknown",
] as const;

export type ChannelState = (typeof CHANNEL_STATES)[number];

export type Health = "up" | "degraded" | "down" | "none";

const HEALTH: Record<ChannelState, Health> = {
  connected: "up",
  connecting: "degraded",
  disconnected: "down",
  needs_qr: "down",
  replaced: "down",
  provider_down: "down",
  misconfigured: "down",
  // The provider refuses to send for this number (Cloud API BLOCKED): out of service until a person acts.
  blocked: "down",
  // Sending limited (Cloud API LIMITED, quality red): still serving, at risk.
  restricted: "degraded",
  paused: "none",
  unknown: "none",
};

export function healthOf(state: ChannelState): Health {
  return HEALTH[state];
}

/** States in which the monitor must never reconnect on its own: a person has to act. */
export const NEEDS_A_PERSON: ReadonlySet<ChannelState> = new Set(["needs_qr", "replaced", "misconfigured", "blocked", "restricted"]);

export function isChannelState(value: string): value is ChannelState {
  return (CHANNEL_STATES as readonly string[]).includes(value);
}
