import { env } from "@/lib/env";
import type { OutboundPolicy } from "@/lib/net/outbound-guard";

/**
 * The deployment's outbound policy: the operator's GATEWAY_ALLOWED_HOSTS and the system resolver. What
 * callers get when nothing is injected, so a forgotten wiring is as strict as the operator configured,
 * never open.
 */
export function configuredOutboundPolicy(): OutboundPolicy {
  return { allowed: env().GATEWAY_ALLOWED_HOSTS };
}
