/**
 * What went wrong with a gateway call, read from the words Sentinela stored for it (channel_actions.detail,
 * written by lib/monitor/reconnect-channel.ts, lib/channels/qr-pairing.ts, lib/channels/manual-action.ts
 * and lib/providers/http.ts). Those words are for admins; this gives everyone else one plain cause,
 * a key under `channel.actionSummary`. Tested against the exact texts those modules produce
 * (gateway-cause.test.ts), so a reworded message there fails a test instead of reading as "other".
 */
export const GATEWAY_CAUSES = [
  "open", "connecting", "needsQr", "qrIssued", "interrupted", "gatewayDown", "instanceNotFound", "keyRejected",
  "addressRefused", "unreadable", "refused", "other",
] as const;

export type GatewayCause = (typeof GATEWAY_CAUSES)[number];

// First match wins: the outcome words ("QR code", "session open") before the transport's.
const PATTERNS: [GatewayCause, RegExp][] = [
  ["interrupted", /interrupted before the gateway answered/],
  ["needsQr", /answered a QR code|must be paired again/],
  ["qrIssued", /issued QR code/],
  ["open", /session open/],
  ["connecting", /gateway is connecting/],
  ["addressRefused", /gateway address not allowed|gateway .*not allowed|redirect/],
  ["gatewayDown", /provider_down|unreachable|timed out|no answer within|ECONN|HTTP (5\d\d|408|429)\b/],
  ["instanceNotFound", /HTTP 404\b/],
  ["keyRejected", /misconfigured|HTTP 40[13]\b|API key/],
  ["unreadable", /invalid_response|not JSON/],
  ["refused", /rejected|with an error|HTTP 4\d\d\b/],
];

export function gatewayCause(detail: string | null): GatewayCause {
  if (!detail) return "other";
  return PATTERNS.find(([, pattern]) => pattern.test(detail))?.[0] ?? "other";
}
