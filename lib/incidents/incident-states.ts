import type { ChannelState } from "@/lib/monitor/states";

/**
 * Which channel states make an incident, how long each waits before one opens, and how bad each is.
 * The SQL side is public.is_alerting_state (supabase/migrations/20261201003000_incidents_and_alerts.sql);
 * both lists must name the same states.
 */

export const ALERTING_STATES = [
  "connecting",
  "disconnected",
  "needs_qr",
  "replaced",
  "provider_down",
  "misconfigured",
  "blocked",
] as const;

export type AlertingState = (typeof ALERTING_STATES)[number];

const FIVE_MINUTES = 5 * 60_000;

/**
 * How long a line may stay out of service before an incident opens, measured from when it left service
 * (channel_status.down_since). A person must act on needs_qr, replaced, misconfigured and blocked, so
 * waiting helps nobody; disconnected and connecting get the time automatic repair needs; provider_down
 * gets the time a gateway restart takes.
 */
export const GRACE_MS: Record<AlertingState, number> = {
  needs_qr: 0,
  replaced: 0,
  misconfigured: 0,
  blocked: 0,
  disconnected: FIVE_MINUTES,
  connecting: FIVE_MINUTES,
  provider_down: FIVE_MINUTES,
};

/** Higher is worse: an incident shows the worst state among its channels. */
const SEVERITY: Record<AlertingState, number> = {
  connecting: 1,
  provider_down: 2,
  disconnected: 3,
  replaced: 4,
  misconfigured: 4,
  blocked: 4,
  needs_qr: 5,
};

/** States only a person can fix: quiet hours may give way to them (critical_overrides_quiet). */
const PERSON_MUST_ACT: ReadonlySet<string> = new Set(["needs_qr", "replaced", "blocked"]);

export function isAlertingState(state: string): state is AlertingState {
  return (ALERTING_STATES as readonly string[]).includes(state);
}

/**
 * The one definition of "critical", for the payload and for quiet hours alike: a person must act and
 * nothing else brings the line back (needs_qr, replaced, blocked), or a whole gateway is down (a gateway
 * incident's provider_down). A single line's provider_down, disconnected, connecting or misconfigured waits.
 */
export function isCriticalIncident(incident: { kind: "channel" | "gateway"; state: string }): boolean {
  if (incident.state === "provider_down") return incident.kind === "gateway";
  return PERSON_MUST_ACT.has(incident.state);
}

/** The incident's state: the worst of its channels' states (the first of equals, so it is stable). */
export function worstState(states: readonly AlertingState[]): AlertingState {
  if (states.length === 0) throw new Error("worstState needs at least one state");
  return states.reduce((worst, state) => (SEVERITY[state] > SEVERITY[worst] ? state : worst));
}

/** An incident opens for a line out of service since `downSince` once its state's grace has run out. */
export function isPastGrace(state: AlertingState, downSince: Date, now: Date): boolean {
  return now.getTime() - downSince.getTime() >= GRACE_MS[state];
}

/** What ends an incident for a channel: back in service, or a person paused it. */
export function endsIncident(state: ChannelState): boolean {
  return state === "connected" || state === "paused";
}
