import type { ChannelState } from "@/lib/monitor/states";

/** Chart fills per state, in the badge's hues; every chart also names the state in words. */
export const STATE_FILL: Record<ChannelState, string> = {
  connected: "#10b981",
  connecting: "#f59e0b",
  disconnected: "#dc2626",
  needs_qr: "#881337",
  replaced: "#e11d48",
  provider_down: "#ea580c",
  misconfigured: "#c026d3",
  paused: "#64748b",
  unknown: "#cbd5e1",
};
