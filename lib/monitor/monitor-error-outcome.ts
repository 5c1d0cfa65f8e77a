import { sanitizeText, TEXT_LIMITS } from "@/lib/monitor/sanitize-text";
import type { ChannelOutcome, ClaimedChannel } from "@/lib/monitor/types";

/**
 * What a check that failed in a way nobody foresaw (a bug, bad stored data) records: the channel keeps
 * its state and everything the policy knew, nothing is accounted as observed, its next check comes one
 * interval on, and the error is kept for platform staff (channel_status.monitor_error) and in the raw
 * check. A monitor error is never a channel state: the gateway did not say anything.
 */
export function monitorErrorOutcome(channel: ClaimedChannel, clock: () => Date, error: unknown): ChannelOutcome {
  let now: Date;
  try {
    now = clock();
  } catch {
    now = new Date();
  }
  const message = sanitizeText(error instanceof Error ? error.message : String(error), TEXT_LIMITS.detail);
  const before = channel.status;
  return {
    channelId: channel.channelId,
    status: {
      ...before,
      lastCheckedAt: now,
      lastCheckRecordedAt: now,
      latencyMs: null,
      nextCheckAt: new Date(now.getTime() + channel.checkIntervalSeconds * 1000),
    },
    check: {
      channelId: channel.channelId,
      tenantId: channel.tenantId,
      checkedAt: now,
      state: before.state,
      gatewayState: null,
      reasonCode: null,
      latencyMs: null,
      errorCode: "monitor",
      detail: `monitor error: ${message}`,
    },
    actions: [],
    hourly: [],
    daily: [],
    failed: true,
    reconnected: false,
    claimedSince: before.since,
    webhook: { checkedAt: channel.webhook.checkedAt, silentSince: channel.webhook.silentSince },
    monitorError: message,
  };
}
