import type { FieldErrors } from "@/lib/channels/channel-form";
import { configuredOutboundPolicy } from "@/lib/net/configured-outbound";
import { OutboundRefusedError, vetUrl, type OutboundPolicy, type RefusalReason } from "@/lib/net/outbound-guard";

/**
 * Saving a channel refuses a gateway URL the monitor would never be allowed to call, and says why (a
 * message key under `manage.errors`). Only a refusal blocks the save: a name that does not resolve
 * right now is saved, and the monitor reports the gateway as unreachable until it does.
 */

const FIELD_ERROR: Partial<Record<RefusalReason, string>> = {
  loopback: "gatewayUrl.loopback",
  private: "gatewayUrl.private",
  "link-local": "gatewayUrl.linkLocal",
  metadata: "gatewayUrl.metadata",
  scheme: "gatewayUrl.invalid",
};

const LOOKUP_BUDGET_MS = 5_000;

export async function vetGatewayUrl(
  gatewayUrl: string,
  policy: OutboundPolicy = configuredOutboundPolicy(),
): Promise<FieldErrors | null> {
  try {
    await vetUrl(gatewayUrl, policy, AbortSignal.timeout(LOOKUP_BUDGET_MS));
    return null;
  } catch (error) {
    if (!(error instanceof OutboundRefusedError)) return null;
    return { gatewayUrl: FIELD_ERROR[error.reason] ?? "gatewayUrl.notPublic" };
  }
}
