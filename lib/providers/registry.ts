import { createCloudApiProvider } from "@/lib/providers/cloud-api";
import { createEvolutionProvider } from "@/lib/providers/evolution";
import { createOriginLimiter } from "@/lib/providers/origin-limiter";
import type { Provider, ProviderKind, ProviderOptions } from "@/lib/providers/types";
import { createWahaProvider } from "@/lib/providers/waha";
import { createZapiProvider } from "@/lib/providers/zapi";

/**
 * Every gateway kind has exactly one adapter: a kind added to ProviderKind without one fails to compile.
 * The adapters share one per-origin cap (20 requests in flight per gateway host:port, origin-limiter.ts)
 * unless the caller passes its own: whatever MONITOR_CONCURRENCY is, a pass never floods one gateway.
 */
export function createProviders(given: ProviderOptions): Record<ProviderKind, Provider> {
  const options = { ...given, limiter: given.limiter ?? createOriginLimiter() };
  return {
    evolution: createEvolutionProvider(options),
    waha: createWahaProvider(options),
    zapi: createZapiProvider(options),
    "cloud-api": createCloudApiProvider(options),
  };
}
