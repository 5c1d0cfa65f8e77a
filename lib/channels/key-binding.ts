import { canonicalGatewayUrl } from "@/lib/net/canonical-origin";

/** Where a channel's key is sent: its gateway URL and its instance on that gateway. */
export interface KeyPlace {
  gatewayUrl: string;
  instanceName: string;
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
  return storedUrl.ok && nextUrl.ok && storedUrl.url === nextUrl.url && stored.instanceName === next.instanceName;
}
