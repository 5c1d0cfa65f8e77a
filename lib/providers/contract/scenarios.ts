import type { ChannelState } from "@/lib/monitor/states";
import type { ProviderErrorKind } from "@/lib/providers/types";

/**
 * The scenarios every adapter is held to, each against its own gateway's simulator (fixtures.ts), with
 * one expectation in Sentinela's words: what the channel's check classifies it as
 * (lib/monitor/classify-state.ts), and for failures the ProviderError kind and HTTP status. A new
 * adapter passes all of them or does not ship.
 */
export const SHARED_SCENARIOS = [
  "healthy",
  "dropped",
  "needs_qr",
  "wrong_key",
  "unknown_instance",
  "gateway_down",
  "garbage",
  "html_error",
  "hang",
  "error_200",
] as const;
export type SharedScenario = (typeof SHARED_SCENARIOS)[number];

export interface ScenarioExpectation {
  /** What the gateway does, in words. */
  means: string;
  /** The check's verdict. */
  state: ChannelState;
  /** For a failure: the ProviderError kind the adapter throws. */
  errorKind?: ProviderErrorKind;
  /** For an HTTP failure: its status; `5xx` for any server error; null: no HTTP answer at all. */
  status?: number | "5xx" | null;
}

export const EXPECTED: Record<SharedScenario, ScenarioExpectation> = {
  healthy: { means: "the session is up", state: "connected" },
  dropped: { means: "the session dropped for a reason a restart can fix", state: "disconnected" },
  needs_qr: { means: "only a QR scan brings the session up", state: "needs_qr" },
  wrong_key: { means: "the gateway refuses the key", state: "misconfigured", errorKind: "misconfigured", status: 401 },
  unknown_instance: { means: "the gateway does not know the instance", state: "misconfigured", errorKind: "misconfigured", status: 404 },
  gateway_down: { means: "the connection is reset before any answer", state: "provider_down", errorKind: "provider_down", status: null },
  garbage: { means: "HTTP 200 with a body that is not JSON", state: "provider_down", errorKind: "invalid_response", status: 200 },
  html_error: { means: "an HTML error page (the gateway or a proxy in front of it)", state: "provider_down", errorKind: "provider_down", status: "5xx" },
  hang: { means: "no answer at all: the deadline decides", state: "provider_down", errorKind: "provider_down", status: null },
  error_200: { means: "HTTP 200 whose body says the operation failed", state: "provider_down", errorKind: "rejected", status: 200 },
};
