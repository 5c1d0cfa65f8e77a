import type { ClaimedWebhook } from "@/lib/monitor/types";
import { isWebhookCheckDue, type DriftCheck } from "@/lib/monitor/webhook-drift";
import { ProviderError, type ChannelTarget, type Provider, type SubscribedApp } from "@/lib/providers/types";

/**
 * Where Evolution's webhook is checked, the Cloud API's is an app's subscription to the WhatsApp
 * Business Account (subscribed_apps): with no app subscribed, Meta sends this account's events
 * (messages, quality and account updates) to nobody, the platform included. Read at most every
 * WEBHOOK_CHECK_INTERVAL_MS per channel, like a webhook, with the same modes:
 * - adopt and manage: when no app is subscribed, subscribe the token's app. A subscription only adds:
 *   another app found there (the platform's) stays exactly as it is, so adopt has nothing to keep aside;
 * - off: never read nor touched;
 * and a channel whose webhook is disabled is read but never subscribed.
 * A channel without its WhatsApp Business Account id cannot name the account: not checked, and the
 * check's detail says why.
 */

/** Detail words the action log reads (lib/format/action-summary.ts). */
export const APP_SUBSCRIPTION_DETAIL = "app subscription";

export const NO_WABA_NOTE = `${APP_SUBSCRIPTION_DETAIL} not checked: the channel has no WhatsApp Business Account id (--waba-id)`;

export interface AppSubscriptionInput {
  provider: Provider;
  target: ChannelTarget;
  webhook: ClaimedWebhook;
  now: Date;
}

function describeError(error: unknown): string {
  if (error instanceof ProviderError) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Never throws; reads the subscription when due and subscribes the token's app when none is there. */
export async function checkAppSubscription(input: AppSubscriptionInput): Promise<DriftCheck> {
  const { provider, target, webhook, now } = input;
  if (webhook.mode === "off") return { checkedAt: webhook.checkedAt };
  if (!provider.getSubscribedApps || !provider.subscribeApp) return { checkedAt: webhook.checkedAt };
  if (!target.wabaId?.trim()) return { checkedAt: webhook.checkedAt, note: NO_WABA_NOTE };
  if (!isWebhookCheckDue(webhook.checkedAt, now)) return { checkedAt: webhook.checkedAt };

  let apps: SubscribedApp[];
  try {
    apps = await provider.getSubscribedApps(target);
  } catch (error) {
    return { checkedAt: now, note: `${APP_SUBSCRIPTION_DETAIL} not checked: ${describeError(error)}`.slice(0, 1000) };
  }
  if (apps.length > 0) return { checkedAt: now };
  if (!webhook.enabled) {
    return { checkedAt: now, note: `${APP_SUBSCRIPTION_DETAIL}: no app is subscribed to the account's webhooks; left so: this channel's webhook is disabled` };
  }
  try {
    await provider.subscribeApp(target);
  } catch (error) {
    return {
      checkedAt: now,
      restore: { outcome: "failed", detail: `${APP_SUBSCRIPTION_DETAIL} missing: no app was subscribed to the account's webhooks; subscribing failed: ${describeError(error)}`.slice(0, 1000) },
    };
  }
  return {
    checkedAt: now,
    restore: { outcome: "ok", detail: `${APP_SUBSCRIPTION_DETAIL} restored: no app was subscribed to the account's webhooks; the access token's app is now` },
  };
}
