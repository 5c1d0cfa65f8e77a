import { createEvolutionProvider } from "@/lib/providers/evolution";
import { createOriginLimiter } from "@/lib/providers/origin-limiter";
import type { Provider, ProviderKind, ProviderOptions } from "@/lib/providers/types";

/** Every gateway kind has exactly one adapter: a kind added to ProviderKind without one fails to compile. */
export function createProviders(given: ProviderOptions): Record<ProviderKind, Provider> {
  // One cap per origin shared by every adapter of this registry (a pass, a request): see origin-limiter.ts.
  const options = { ...given, limiter: given.limiter ?? createOriginLimiter() };
  return {
    evolution: createEvolutionProvider(options),
  };
}
