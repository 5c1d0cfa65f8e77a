import type { ChannelActionDeps, Refusal } from "@/lib/channels/action-deps";
import { readChannelAccess } from "@/lib/channels/channel-access";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import type { ActionKind } from "@/lib/monitor/types";

export interface StartedAction {
  status: "started";
  actionId: string;
  tenantId: string;
  requestedAt: Date;
}

/** What the audit row says until the gateway has answered: true if the process dies in between. */
const UNFINISHED = "interrupted before the gateway answered";

/**
 * Authorizes a person's action on a channel and records it, in the user's own transaction: RLS must
 * show them the channel, they must administer its tenant, and the same action by anyone may not have
 * been asked for within `minIntervalMs` (the channel row is locked first, so two clicks at once cannot
 * both pass). The audit row goes in through RLS (trigger 'manual', actor = the user) before the gateway
 * is called, so even an action that never finishes leaves a trace; finishManualAction records the outcome.
 */
export async function beginManualAction(
  deps: ChannelActionDeps,
  claims: VerifiedClaims,
  channelId: string,
  kind: ActionKind,
  minIntervalMs: number,
): Promise<StartedAction | Refusal> {
  const now = deps.clock();
  return runAsUser(deps.sql, claims, async (tx): Promise<StartedAction | Refusal> => {
    const access = await readChannelAccess(tx, channelId);
    if (!access) return { status: "not_found" };
    if (!access.admin) return { status: "forbidden" };
    await tx`select id from public.channels where id = ${channelId} for update`;
    const [last] = await tx<{ at: Date | null }[]>`
      select max(requested_at) as at from public.channel_actions
      where channel_id = ${channelId} and kind = ${kind} and trigger = 'manual'
    `;
    const waitMs = last.at ? last.at.getTime() + minIntervalMs - now.getTime() : 0;
    if (waitMs > 0) return { status: "rate_limited", retryAfterSeconds: Math.ceil(waitMs / 1000) };
    const [row] = await tx<{ id: string }[]>`
      insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, requested_at, outcome, detail)
      values (${channelId}, ${access.tenantId}, ${kind}, 'manual', ${claims.sub}, ${now}, 'failed', ${UNFINISHED})
      returning id::text
    `;
    return { status: "started", actionId: row.id, tenantId: access.tenantId, requestedAt: now };
  });
}

/** The outcome of a started action. Service path: users may not update the audit log. */
export async function finishManualAction(
  deps: ChannelActionDeps,
  actionId: string,
  outcome: "ok" | "failed",
  detail: string,
): Promise<void> {
  await deps.sql`
    update public.channel_actions set outcome = ${outcome}, detail = ${detail.slice(0, 1000)} where id = ${actionId}
  `;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
