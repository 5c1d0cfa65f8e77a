import type { ChannelActionDeps, Refusal } from "@/lib/channels/action-deps";
import { readChannelAccess } from "@/lib/channels/channel-access";
import { checkChannelNow, readState } from "@/lib/channels/check-now";
import { createIncidentStore } from "@/lib/db/incidents-store";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import { evaluateChannelIncidents } from "@/lib/incidents/evaluate-incidents";
import type { ChannelState } from "@/lib/monitor/states";

export type PauseResult = Refusal | { status: "done"; paused: boolean; state: ChannelState | null };

/**
 * Pauses or resumes a channel's monitoring, all in the user's transaction: channels.monitoring_enabled
 * through RLS (admins only), the status and its transition through public.sync_channel_pause (which
 * checks the same), and the audit row through RLS. A resumed channel is checked at once.
 */
export async function setChannelPaused(
  deps: ChannelActionDeps,
  claims: VerifiedClaims,
  channelId: string,
  paused: boolean,
): Promise<PauseResult> {
  const now = deps.clock();
  const result = await runAsUser(deps.sql, claims, async (tx): Promise<PauseResult> => {
    const access = await readChannelAccess(tx, channelId);
    if (!access) return { status: "not_found" };
    if (!access.admin) return { status: "forbidden" };
    const updated = await tx`
      update public.channels set monitoring_enabled = ${!paused}, updated_at = now() where id = ${channelId} returning id
    `;
    if (updated.length === 0) return { status: "forbidden" };
    const [{ state }] = await tx<{ state: ChannelState }[]>`select public.sync_channel_pause(${channelId}, ${now}) as state`;
    await tx`
      insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, requested_at, outcome, detail)
      values (${channelId}, ${access.tenantId}, ${paused ? "pause" : "resume"}, 'manual', ${claims.sub}, ${now}, 'ok', null)
    `;
    return { status: "done", paused, state };
  });
  // A paused channel's incident resolves now, not at the next pass.
  if (result.status === "done" && paused) await evaluateChannelIncidents({ store: createIncidentStore(deps.sql) }, channelId, now);
  if (result.status === "done" && !paused) {
    await checkChannelNow(deps, channelId);
    return { ...result, state: await readState(deps, channelId) };
  }
  return result;
}
