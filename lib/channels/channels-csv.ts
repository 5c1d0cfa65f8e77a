import type { ChannelSummary } from "@/lib/db/channel-health";
import type { Transition } from "@/lib/db/channel-detail";
import { channelLatency } from "@/lib/format/latency";
import { uptimeRatio } from "@/lib/format/uptime";
import type { ChannelState } from "@/lib/monitor/states";
import { toCsv, type CsvValue } from "@/lib/text/csv";

/**
 * The tenant's channel list and one channel's transitions as CSV (lib/text/csv.ts: quoted, formulas
 * defused). Times are ISO 8601 in UTC, durations whole seconds, uptime a fraction (0.9987) left empty
 * where there is too little data for one, states their codes (DESIGN.md's table): a spreadsheet can
 * compute with all of it. The reason is the sentence the page shows, in the reader's language; the
 * stored words behind it only when `describe` gives them (admins).
 */

/** A stored reason as the page says it, and the stored words for whoever may see them (else null). */
export type DescribeReason = (state: ChannelState, reason: string | null) => { text: string | null; detail: string | null };

export const CHANNEL_LIST_HEADER = [
  "id", "name", "phone", "state", "since", "last_checked_at", "latency_ms", "uptime_24h", "uptime_7d", "uptime_30d",
  "reason", "technical_detail",
] as const;

export const TRANSITIONS_HEADER = ["occurred_at", "from_state", "to_state", "source", "duration_seconds", "reason", "technical_detail"] as const;

const fraction = (window: ChannelSummary["uptime24h"]) => {
  const ratio = uptimeRatio(window);
  return ratio === null ? null : Math.round(ratio * 10_000) / 10_000;
};

export function channelListCsv(rows: readonly ChannelSummary[], describe: DescribeReason): string {
  return toCsv(CHANNEL_LIST_HEADER, rows.map((row): CsvValue[] => {
    const reason = describe(row.state, row.reason);
    return [
      row.id, row.displayName, row.phoneNumber, row.state, row.since.toISOString(), row.lastCheckedAt?.toISOString() ?? null,
      channelLatency(row.state, row.latencyMs), fraction(row.uptime24h), fraction(row.uptime7d), fraction(row.uptime30d),
      reason.text, reason.detail,
    ];
  }));
}

/**
 * `transitions` newest first (as lib/db/channel-detail.ts's listTransitions reads them); each lasted
 * until the next one, the newest until `now`. The file keeps that order.
 */
export function transitionsCsv(transitions: readonly Transition[], now: Date, describe: DescribeReason): string {
  return toCsv(TRANSITIONS_HEADER, transitions.map((event, i): CsvValue[] => {
    const end = i === 0 ? now : transitions[i - 1].occurredAt;
    const reason = describe(event.toState, event.reason);
    return [
      event.occurredAt.toISOString(), event.fromState, event.toState, event.source,
      Math.max(0, Math.round((end.getTime() - event.occurredAt.getTime()) / 1000)), reason.text, reason.detail,
    ];
  }));
}
