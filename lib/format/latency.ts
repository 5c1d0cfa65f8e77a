import type { ChannelState } from "@/lib/monitor/states";

/**
 * A response time is shown only where the gateway actually answered for the session: a gateway that is
 * down, refuses our key or was never asked has no latency worth printing ("answered in 1 ms" for a
 * refused connection contradicts the state beside it). Slow answers are highlighted from SLOW_LATENCY_MS:
 * at 2 s a WhatsApp gateway is struggling (healthy ones answer in tens to hundreds of ms), and the
 * platform's own requests to it start to feel it.
 */
export const SLOW_LATENCY_MS = 2_000;

/** States in which the last check got no session state from the gateway. */
const NO_ANSWER: ReadonlySet<ChannelState> = new Set(["provider_down", "misconfigured", "paused", "unknown"]);

/** The channel's latency as its state allows it to be shown, or null. */
export function channelLatency(state: ChannelState, latencyMs: number | null): number | null {
  return latencyMs === null || NO_ANSWER.has(state) ? null : latencyMs;
}

/** A raw check's latency, only when the gateway reported a session state (no error). */
export function checkLatency(check: { gatewayState: string | null; errorCode: string | null; latencyMs: number | null }): number | null {
  return check.gatewayState === null || check.errorCode !== null ? null : check.latencyMs;
}

export function isSlow(latencyMs: number | null): boolean {
  return latencyMs !== null && latencyMs >= SLOW_LATENCY_MS;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `320 ms` below a second, `2,9 s` / `2.9 s` from there on: a slow figure should read as seconds. */
export function formatLatency(latencyMs: number, locale: string): string {
  const seconds = latencyMs >= 1_000;
  const key = `${locale}|${seconds}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: seconds ? 1 : 0 })));
  return seconds ? `${format.format(latencyMs / 1000)} s` : `${format.format(latencyMs)} ms`;
}
