import { describeReason } from "@/lib/format/reason";
import type { ChannelState } from "@/lib/monitor/states";

/** Reasons written by public.sync_channel_pause (supabase/migrations/20261128000600_channel_actions.sql). */
const MANUAL: Record<string, string> = {
  "monitoring paused by an admin": "channel.pausedReason",
  "monitoring resumed by an admin": "channel.resumedReason",
};

/** A sentence as a root message key, and the stored words behind it (admins only). */
export interface ReasonText {
  key: string;
  values?: Record<string, string | number>;
  detail?: string;
}

/**
 * A stored reason as a root message key (`reasons.*` from the monitor's verdicts, `channel.*` for a
 * person's pause/resume); never the stored text itself (see lib/format/reason.ts).
 */
export function channelReason(state: ChannelState, reason: string | null): ReasonText | null {
  const manual = reason ? MANUAL[reason.trim()] : undefined;
  if (manual) return { key: manual };
  const message = describeReason(state, reason);
  if (!message) return null;
  if ("raw" in message) return { key: "reasons.unexplained", values: { state }, detail: message.raw };
  return { ...message, key: `reasons.${message.key}` };
}
