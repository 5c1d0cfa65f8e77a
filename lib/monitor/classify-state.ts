import { ProviderError, type StateReport } from "@/lib/providers/types";
import type { ChannelState } from "@/lib/monitor/states";

/** One check's verdict, before flap damping decides whether it becomes the channel's state. */
export interface Observation {
  state: ChannelState;
  reason: string;
  gatewayState?: string;
  reasonCode?: number;
  latencyMs?: number;
  errorCode?: string;
  detail?: string;
}

// Baileys DisconnectReason codes after which reconnecting does not help: a person must re-pair.
const NEEDS_QR_CODES = new Set([401, 402, 403, 406, 411]);
const REPLACED_CODE = 440;

const CODE_NAMES: Record<number, string> = {
  401: "logged out (device unlinked)",
  402: "refused by WhatsApp (402)",
  403: "forbidden (number may be banned)",
  406: "refused by WhatsApp (406)",
  408: "connection lost / timed out",
  411: "multi-device mismatch",
  428: "connection closed",
  440: "connection replaced by another session",
  500: "bad session",
  503: "WhatsApp unavailable",
  515: "restart required",
};

function describeCode(code: number | undefined): string {
  if (code === undefined) return "closed (no reason given)";
  return CODE_NAMES[code] ?? `closed (code ${code})`;
}

/** Why a session closed on the gateway itself, in the monitor's words (lib/format/reason.ts translates them). */
const CLOSED_ON_GATEWAY: Record<NonNullable<StateReport["closedOnGateway"]>, string> = {
  stopped: "session stopped on the gateway",
  failed: "session failed on the gateway",
};

export function classifyReport(report: StateReport): Observation {
  const base = { gatewayState: report.gatewayStatus ?? report.state, reasonCode: report.reasonCode, latencyMs: report.latencyMs };
  // The provider's refusal to send outranks the session: nothing automatic fixes it (DESIGN.md: blocked).
  if (report.sending?.verdict === "blocked") {
    return { ...base, state: "blocked", reason: report.sending.reason.trim() || "the provider refuses to send for this number" };
  }
  // Limited sending is a warning on a line that is up; on a line that is not, the session's state says more.
  if (report.sending?.verdict === "restricted" && report.state === "open") {
    return { ...base, state: "restricted", reason: report.sending.reason.trim() || "sending limited by the provider" };
  }
  // Whatever the session's state: only a person scanning the code brings it up, so never a restart.
  if (report.awaitingScan && report.state !== "open") {
    return { ...base, state: "needs_qr", reason: "waiting for a QR scan (gateway is showing a QR code)" };
  }
  switch (report.state) {
    case "open":
      return { ...base, state: "connected", reason: "open" };
    case "connecting":
      return { ...base, state: "connecting", reason: "connecting" };
    case "refused":
      return { ...base, state: "needs_qr", reason: "QR code limit reached: pair again" };
    case "close": {
      if (report.neverPaired) return { ...base, state: "needs_qr", reason: "never paired: scan the QR code" };
      const code = report.reasonCode;
      if (code !== undefined && NEEDS_QR_CODES.has(code)) return { ...base, state: "needs_qr", reason: describeCode(code) };
      if (code === REPLACED_CODE) return { ...base, state: "replaced", reason: describeCode(code) };
      if (code === undefined && report.closedOnGateway) {
        return { ...base, state: "disconnected", reason: CLOSED_ON_GATEWAY[report.closedOnGateway] };
      }
      return { ...base, state: "disconnected", reason: describeCode(code) };
    }
  }
}

/**
 * A line that needs a QR scan stays `needs_qr` while the gateway only says `connecting`: after a gateway
 * restart, Evolution 2.3.6 reconnects every stored instance, logged-out ones included, which then read
 * `connecting` and show QR codes until someone scans. Moving such a line to `connecting` would hide
 * that a person must act (and invite a restart). Only `open` (the scan happened) or another verdict
 * moves it.
 */
export function holdWhileAwaitingScan(previous: ChannelState, observation: Observation): Observation {
  if (previous !== "needs_qr" || observation.state !== "connecting") return observation;
  return { ...observation, state: "needs_qr", reason: "waiting for a QR scan (gateway is showing a QR code)" };
}

export function classifyError(error: ProviderError, latencyMs?: number): Observation {
  const common = {
    latencyMs,
    errorCode: error.kind,
    detail: [error.message, error.detail.snippet].filter(Boolean).join(" — ").slice(0, 1000),
  };
  // Refused by the outbound guard before any request: the URL itself is what must change.
  const refused = error.detail.refused;
  if (refused) {
    const reason = refused.reason === "redirect"
      ? "gateway answered a redirect"
      : `gateway address not allowed: ${refused.address ?? "?"} (${refused.reason})`;
    return { ...common, state: "misconfigured", reason };
  }
  if (error.kind === "misconfigured") {
    const reason = error.detail.status === 404 || error.detail.notFound ? "instance not found on the gateway" : "gateway rejected the API key";
    return { ...common, state: "misconfigured", reason };
  }
  if (error.kind === "invalid_response") {
    return { ...common, state: "provider_down", reason: "gateway answered something unreadable" };
  }
  // The transport's own words (ECONNREFUSED, a timeout, HTTP 503) stay in `detail`; the reason is plain.
  return { ...common, state: "provider_down", reason: error.kind === "rejected" ? "gateway refused the request" : "gateway is not answering" };
}

/** Anything thrown by a check: provider errors are classified; anything else is a bug, kept visible. */
export function classifyFailure(error: unknown, latencyMs?: number): Observation {
  if (error instanceof ProviderError) return classifyError(error, latencyMs);
  return {
    state: "provider_down",
    reason: "check failed unexpectedly",
    errorCode: "internal",
    detail: describeThrown(error).slice(0, 1000),
    latencyMs,
  };
}

/** Never throws itself: `String()` does on an object without a prototype or with a broken toString. */
function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
