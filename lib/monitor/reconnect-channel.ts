import { ProviderError, type ChannelTarget, type ConnectResult, type Provider } from "@/lib/providers/types";

export interface GatewayCallResult {
  kind: "restart" | "connect";
  outcome: "ok" | "failed";
  detail: string;
}

function describeConnect(result: ConnectResult): string {
  if (result.kind === "open") return "gateway reports the session open";
  if (result.kind === "qr") return "gateway answered a QR code: the number must be paired again";
  return "gateway is connecting";
}

function describeError(error: unknown): string {
  if (error instanceof ProviderError) return `${error.kind}: ${error.message}`.slice(0, 500);
  return error instanceof Error ? error.message : String(error);
}

/**
 * The one way Sentinela reconnects a channel, for the monitor and for a person's forced reconnect:
 * restart (Evolution v2: POST), and when the gateway refuses because the instance is closed (HTTP 200
 * `{"error":true}`), connect instead. Returns every gateway call made, for channel_actions.
 */
export async function reconnectChannel(provider: Provider, target: ChannelTarget): Promise<GatewayCallResult[]> {
  try {
    const result = await provider.restart(target);
    return [{ kind: "restart", outcome: "ok", detail: describeConnect(result) }];
  } catch (error) {
    const restart: GatewayCallResult = { kind: "restart", outcome: "failed", detail: describeError(error) };
    if (!(error instanceof ProviderError) || error.kind !== "rejected") return [restart];
    try {
      const result = await provider.connect(target);
      return [restart, { kind: "connect", outcome: "ok", detail: describeConnect(result) }];
    } catch (connectError) {
      return [restart, { kind: "connect", outcome: "failed", detail: describeError(connectError) }];
    }
  }
}

export function reconnectSucceeded(calls: GatewayCallResult[]): boolean {
  return calls.at(-1)?.outcome === "ok";
}
