import { getSql } from "@/lib/db/client";
import { createMonitorStore } from "@/lib/db/monitor-store";
import { env } from "@/lib/env";
import { channelSecretKey } from "@/lib/local-secrets";
import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import { runMonitorPass } from "@/lib/monitor/run-monitor-pass";
import type { PassSummary, PassTrigger } from "@/lib/monitor/types";
import { createProviders } from "@/lib/providers/registry";

/**
 * Wires the monitor library to this deployment: the database, the gateways, the secret key and the
 * real clock. The cron route, the CLI and the runner all call this; tests call runMonitorPass directly.
 */
export async function runConfiguredPass(options: {
  trigger: PassTrigger;
  all?: boolean;
  budgetMs: number;
}): Promise<PassSummary> {
  const config = env();
  const secretKey = channelSecretKey();
  const sql = await getSql();
  return runMonitorPass(
    {
      store: createMonitorStore(sql),
      providers: createProviders({ timeoutMs: config.GATEWAY_TIMEOUT_MS }),
      clock: () => new Date(),
      random: Math.random,
      secretKey,
      policy: DEFAULT_RECONNECT_POLICY,
      // Without APP_URL there is no receiver URL to hold gateways to: drift repair is skipped, and says so.
      webhookBaseUrl: config.APP_URL,
    },
    {
      trigger: options.trigger,
      all: options.all,
      concurrency: config.MONITOR_CONCURRENCY,
      budgetMs: options.budgetMs,
      // A check is at most a state read plus a restart and a connect.
      checkReserveMs: 3 * config.GATEWAY_TIMEOUT_MS + 2_000,
    },
  );
}
