import { createIncidentStore } from "@/lib/db/incidents-store";
import { createMonitorStore } from "@/lib/db/monitor-store";
import type { ChannelActionDeps } from "@/lib/channels/action-deps";
import { evaluateChannelIncidents } from "@/lib/incidents/evaluate-incidents";
import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import { runMonitorPass } from "@/lib/monitor/run-monitor-pass";
import type { ChannelState } from "@/lib/monitor/states";
import type { PassSummary } from "@/lib/monitor/types";

/**
 * Checks one channel now, with the monitor's own pass (trigger 'manual'), so the page shows its new
 * state at the next refresh instead of after the next scheduled pass. A channel another pass holds
 * right now is left to that pass; a paused one is not checked at all.
 */
export async function checkChannelNow(deps: ChannelActionDeps, channelId: string): Promise<PassSummary> {
  return runMonitorPass(
    {
      store: createMonitorStore(deps.sql),
      providers: deps.providers,
      clock: deps.clock,
      random: deps.random ?? Math.random,
      secretKey: deps.secretKey,
      policy: deps.policy ?? DEFAULT_RECONNECT_POLICY,
      afterWrites: ({ now }) => evaluateChannelIncidents({ store: createIncidentStore(deps.sql) }, channelId, now),
    },
    { trigger: "manual", channelIds: [channelId], all: true, concurrency: 1, budgetMs: 60_000, checkReserveMs: 0 },
  );
}

/** The stored state after an action (service path: the caller has already been authorized). */
export async function readState(deps: ChannelActionDeps, channelId: string): Promise<ChannelState | null> {
  const [row] = await deps.sql<{ state: ChannelState }[]>`
    select state from public.channel_status where channel_id = ${channelId}
  `;
  return row?.state ?? null;
}
