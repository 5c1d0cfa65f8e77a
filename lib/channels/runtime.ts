import type { ChannelActionDeps } from "@/lib/channels/action-deps";
import { getSql } from "@/lib/db/client";
import { env } from "@/lib/env";
import { channelSecretKey } from "@/lib/local-secrets";
import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import { createProviders } from "@/lib/providers/registry";

/** Wires channel actions to this deployment, as monitor-runtime.ts does for passes; tests build their own. */
export async function channelActionDeps(): Promise<ChannelActionDeps> {
  return {
    sql: await getSql(),
    providers: createProviders({ timeoutMs: env().GATEWAY_TIMEOUT_MS }),
    clock: () => new Date(),
    secretKey: channelSecretKey(),
    random: Math.random,
    policy: DEFAULT_RECONNECT_POLICY,
  };
}
