import type { ChannelActionDeps, Refusal } from "@/lib/channels/action-deps";
import { loadChannelTarget } from "@/lib/channels/channel-target";
import { checkChannelNow, readState } from "@/lib/channels/check-now";
import { beginManualAction, describeError, finishManualAction } from "@/lib/channels/manual-action";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import { reconnectChannel, reconnectSucceeded } from "@/lib/monitor/reconnect-channel";
import type { ChannelState } from "@/lib/monitor/states";

/** One forced reconnect per channel per 30 s, whoever asks: reconnect storms get numbers banned. */
export const FORCED_RECONNECT_INTERVAL_MS = 30_000;

export type ForceReconnectResult =
  | Refusal
  /** The line needs a QR scan: reconnecting cannot bring it back, and would only start a pairing nobody asked for. */
  | { status: "needs_qr" }
  | { status: "done"; outcome: "ok" | "failed"; detail: string; state: ChannelState | null };

/**
 * A tenant admin's forced reconnect: authorized, rate-limited and audited in the database, then the
 * monitor's own reconnect (restart, connect when the gateway refuses a restart), then an immediate
 * check of this channel so its new state is stored before the page refreshes.
 */
export async function forceReconnect(
  deps: ChannelActionDeps,
  claims: VerifiedClaims,
  channelId: string,
): Promise<ForceReconnectResult> {
  // Read as the user: RLS shows the state only to the tenant's members; anyone else goes on to not_found.
  const [current] = await runAsUser(deps.sql, claims, (tx) =>
    tx<{ state: ChannelState }[]>`select state from public.channel_status where channel_id = ${channelId}`);
  if (current?.state === "needs_qr") return { status: "needs_qr" };
  const started = await beginManualAction(deps, claims, channelId, "reconnect", FORCED_RECONNECT_INTERVAL_MS);
  if (started.status !== "started") return started;

  let outcome: "ok" | "failed";
  let detail: string;
  try {
    const { provider, target } = await loadChannelTarget(deps.sql, channelId, deps.secretKey);
    const calls = await reconnectChannel(deps.providers[provider], target);
    outcome = reconnectSucceeded(calls) ? "ok" : "failed";
    detail = calls.map((call) => call.detail).join("; ");
  } catch (error) {
    outcome = "failed";
    detail = describeError(error);
  }
  await finishManualAction(deps, started.actionId, outcome, detail);
  await checkChannelNow(deps, channelId);
  return { status: "done", outcome, detail, state: await readState(deps, channelId) };
}
