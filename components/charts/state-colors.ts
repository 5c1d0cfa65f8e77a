import type { ChannelState } from "@/lib/monitor/states";

/**
 * Chart fills per state: the badges' colours (app/globals.css --state-*), so a chart and a badge never
 * disagree; the neutral states in the palette's greys, which turn dark with it. Every chart also names
 * the state in words.
 */
export const STATE_FILL: Record<ChannelState, string> = {
  connected: "var(--state-connected)",
  connecting: "var(--state-connecting)",
  disconnected: "var(--state-disconnected)",
  needs_qr: "var(--state-needs-qr)",
  replaced: "var(--state-replaced)",
  provider_down: "var(--state-provider-down)",
  misconfigured: "var(--state-misconfigured)",
  blocked: "#000000",
  restricted: "#fcd34d",
  paused: "var(--color-slate-500)",
  unknown: "var(--color-slate-300)",
};
