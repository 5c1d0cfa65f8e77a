import type { CheckEntry } from "@/lib/db/channel-detail";
import type { ReasonText } from "@/lib/format/channel-reason";
import { channelReason } from "@/lib/format/channel-reason";

type Check = Pick<CheckEntry, "state" | "gatewayState" | "reasonCode" | "errorCode" | "detail">;

/** A failed check's kind of error (lib/monitor/classify-state.ts, check-channel.ts) as a `reasons` key. */
const ERROR_KEYS: Record<string, string> = {
  provider_down: "gatewayUnreachable",
  invalid_response: "unreadable",
  rejected: "gatewayRefused",
  internal: "unexpected",
};

/**
 * One raw check in plain words (a root message key): what the gateway said, or why it said nothing.
 * The check's own words (its detail, codes, error kind) are for admins only and are not in the sentence.
 */
export function describeCheck(check: Check): ReasonText {
  const detail = check.detail ?? "";
  if (check.errorCode === "monitor") return { key: "channel.checkSummary.monitorError" };
  if (check.errorCode === "secret") {
    return { key: /^no API key/.test(detail) ? "reasons.apiKeyMissing" : "reasons.secretUnreadable" };
  }
  if (check.errorCode === "misconfigured") {
    if (/not allowed|redirect/.test(detail)) return { key: "channel.checkSummary.addressRefused" };
    return { key: /HTTP 404\b/.test(detail) ? "reasons.instanceNotFound" : "reasons.apiKeyRejected" };
  }
  if (check.errorCode !== null) return { key: `reasons.${ERROR_KEYS[check.errorCode] ?? "unexpected"}` };
  if (check.gatewayState === "open") return { key: "channel.checkSummary.open" };
  if (check.gatewayState === "connecting" && check.state !== "needs_qr") return { key: "channel.checkSummary.connecting" };
  // A report's detail starts with the monitor's reason ("logged out (device unlinked)", then any notes).
  const reason = channelReason(check.state, detail.split("; ")[0] ?? null);
  if (reason && reason.key !== "reasons.unexplained") return { key: reason.key, values: reason.values };
  if (check.reasonCode !== null) return { key: "reasons.closedCode", values: { code: check.reasonCode } };
  return { key: "reasons.unexplained", values: { state: check.state } };
}
