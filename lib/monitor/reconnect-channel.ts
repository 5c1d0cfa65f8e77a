import { ProviderError, type ChannelTarget, type ConnectResult, type Provider } from "@/lib/providers/types";

/** One reconnect as channel_actions records it: a single entry with its real outcome, whatever calls it took. */
export interface GatewayCallResult {
  kind: "reconnect";
  outcome: "ok" | "failed";
  detail: string;
}

function describeConnect(result: ConnectResult): string {
  if (result.kind === "open") return "gateway reports the session open";
  if (result.kind === "qr") return "gateway answered a QR code: the number must be paired again";
  if (result.awaitingScan) return "gateway is waiting for a QR scan: the number must be paired again";
  return "gateway is connecting";
}

function describeError(error: unknown): string {
  if (error instanceof ProviderError) return `${error.kind}: ${error.message}`.slice(0, 500);
  return error instanceof Error ? error.message : String(error);
}

/** A QR answer means the session is gone: reconnecting did not bring the line back, a person must scan. */
const outcomeOf = (result: ConnectResult): GatewayCallResult["outcome"] =>
  result.kind === "qr" || (result.kind === "pending" && result.awaitingScan) ? "failed" : "ok";

/**
 * The one way Sentinela reconnects a channel, for the monitor and for a person's forced reconnect:
 * restart (Evolution v2: POST), and when the gateway refuses because the instance is closed (2.3.6:
 * HTTP 200 `{"error":true,"message":"[object Object]"}`), connect instead — that refusal is the expected
 * first step on a closed instance, not a failure. Returns the one action to record.
 */
export async function reconnectChannel(provider: Provider, target: ChannelTarget): Promise<GatewayCallResult[]> {
  // A gateway without sessions (traits: reconnect false) has nothing to restart; its states never ask for it.
  if (!provider.restart) return [{ kind: "reconnect", outcome: "failed", detail: `${provider.kind} gateways have no session to restart` }];
  try {
    const result = await provider.restart(target);
    return [{ kind: "reconnect", outcome: outcomeOf(result), detail: `restart: ${describeConnect(result)}` }];
  } catch (error) {
    if (!(error instanceof ProviderError) || error.kind !== "rejected") {
      return [{ kind: "reconnect", outcome: "failed", detail: `restart failed: ${describeError(error)}` }];
    }
    const step = "restart not possible on a closed instance, connect";
    if (!provider.connect) return [{ kind: "reconnect", outcome: "failed", detail: `${step}: ${provider.kind} gateways cannot connect` }];
    try {
      const result = await provider.connect(target);
      return [{ kind: "reconnect", outcome: outcomeOf(result), detail: `${step}: ${describeConnect(result)}` }];
    } catch (connectError) {
      return [{ kind: "reconnect", outcome: "failed", detail: `${step} failed: ${describeError(connectError)}` }];
    }
  }
}

export function reconnectSucceeded(calls: GatewayCallResult[]): boolean {
  return calls.at(-1)?.outcome === "ok";
}
