import { createCloudApiProvider } from "@/lib/providers/cloud-api";
import { createEvolutionProvider } from "@/lib/providers/evolution";
import type { Provider, ProviderKind, ProviderOptions } from "@/lib/providers/types";
import { createWahaProvider } from "@/lib/providers/waha";
import { createZapiProvider } from "@/lib/providers/zapi";

/** Every gateway kind has exactly one adapter: a kind added to ProviderKind without one fails to compile. */
export function createProviders(options: ProviderOptions): Record<ProviderKind, Provider> {
  return {
    evolution: createEvolutionProvider(options),
    waha: createWahaProvider(options),
    zapi: createZapiProvider(options),
    "cloud-api": createCloudApiProvider(options),
  };
}
