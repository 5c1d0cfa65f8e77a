import { currentDownstream } from "@/lib/channels/set-downstream";
import type { Db, Sql } from "@/lib/db/client";
import { getPlatformWebhookSummary } from "@/lib/db/downstream";
import { countForwards } from "@/lib/db/webhook-forwards";
import { MASK, maskedUrl } from "@/lib/webhooks/downstream";

/**
 * A channel's downstream as its admins see it: the URL with every query value as ••••, the header
 * names with •••• for values. Service path (it opens the sealed parts): call it only for a viewer the
 * caller has already found to administer the channel.
 */
export interface DownstreamView {
  url: string;
  headerNames: string[];
  byEvents: boolean;
  events: string[];
}

export async function viewDownstream(sql: Sql, secretKey: string, channelId: string): Promise<DownstreamView | null> {
  const downstream = await currentDownstream(sql, channelId, secretKey).catch(() => null);
  if (!downstream) return null;
  return { url: maskedUrl(downstream.url), headerNames: Object.keys(downstream.headers), byEvents: downstream.byEvents, events: downstream.events };
}

/** The form's text area: one `Name: ••••` line per stored header. */
export function maskedHeaderLines(view: DownstreamView | null): string {
  return (view?.headerNames ?? []).map((name) => `${name}: ${MASK}`).join("\n");
}

/** The page's platform-webhook facts, read as the viewer; forward counts only for admins (RLS shows them no rows otherwise). */
export async function loadPlatformWebhook(db: Db, channel: { id: string; canManage: boolean }) {
  const summary = await getPlatformWebhookSummary(db, channel.id);
  const counts = channel.canManage ? await countForwards(db, channel.id) : null;
  return { summary, counts };
}
