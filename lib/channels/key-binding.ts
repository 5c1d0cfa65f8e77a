import { canonicalGatewayUrl } from "@/lib/net/canonical-origin";
import type { ProviderKind } from "@/lib/providers/types";

/** Where a channel's key is sent: its gateway URL, its instance on that gateway, and the gateway's kind. */
export interface KeyPlace {
  gatewayUrl: string;
  instanceName: string;
  /** When both places name one, they must be the same kind (a new kind is another gateway row). */
  provider?: ProviderKind;
}

/**
 * Whether a stored key may go to `next`: only when it is the place the key was entered for, the same
 * canonical gateway URL and the same instance. Anything else (another gateway, an alias that is not
 * literally the same address, another instance on the same gateway) needs the key typed again: a
 * stored key never follows a URL or instance an admin typed.
 */
export function keyStaysBound(stored: KeyPlace, next: KeyPlace): boolean {
  const storedUrl = canonicalGatewayUrl(stored.gatewayUrl);
  const nextUrl = canonicalGatewayUrl(next.gatewayUrl);
  const sameKind = !stored.provider || !next.provider || stored.provider === next.provider;
  return storedUrl.ok && nextUrl.ok && storedUrl.url === nextUrl.url && stored.instanceName === next.instanceName && sameKind;
}
