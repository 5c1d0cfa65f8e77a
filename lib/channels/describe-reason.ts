import type { DescribeReason } from "@/lib/channels/channels-csv";
import { channelReason } from "@/lib/format/channel-reason";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * A stored reason as /channels and its CSV exports say it: the sentence in the reader's language
 * (lib/format/channel-reason.ts), and the stored words behind it only for whoever may see technical
 * detail (the tenant's admins).
 */
export function reasonDescriber(t: Translate, showDetail: boolean): DescribeReason {
  return (state, reason) => {
    const message = channelReason(state, reason);
    if (!message) return { text: null, detail: null };
    return { text: t(message.key, message.values), detail: showDetail ? (message.detail ?? null) : null };
  };
}
