import { env } from "@/lib/env";
import { channelSecretKey } from "@/lib/local-secrets";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import type { ProviderKind } from "@/lib/providers/types";
import { cloudApiCallbackUrl, cloudApiVerifyToken } from "@/lib/webhooks/cloud-api-verify-token";

/**
 * What an admin pastes into Meta's App Dashboard (WhatsApp > Configuration) for a Cloud API channel:
 * the callback URL and its verify token, and whether the app's subscription to the account is checked.
 * For the channel's technical details, which only admins see (the verify token only opens the
 * handshake; deliveries are verified with the app secret, never shown).
 */
export interface CloudApiWebhookView {
  /** Null when APP_URL is not set: there is no public address to give Meta. */
  callbackUrl: string | null;
  verifyToken: string;
  /** The account whose subscribed_apps the monitor checks; null: not checked (no --waba-id). */
  wabaId: string | null;
}

export function cloudApiWebhookView(channel: { id: string; provider: ProviderKind; wabaId: string | null }): CloudApiWebhookView | null {
  if (!PROVIDER_TRAITS[channel.provider].appSecret) return null;
  const appUrl = env().APP_URL;
  return {
    callbackUrl: appUrl ? cloudApiCallbackUrl(appUrl, channel.id) : null,
    verifyToken: cloudApiVerifyToken(channel.id, channelSecretKey()),
    wabaId: channel.wabaId,
  };
}
