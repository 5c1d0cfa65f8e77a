import { channelLink, qrPanelLink } from "@/lib/alerts/alert-links";
import { postJson, type PostOptions } from "@/lib/alerts/post-json";
import { renderAlert } from "@/lib/alerts/render-alert";
import type { AlertDelivery, AlertMessage, AlertSender } from "@/lib/alerts/types";
import { SIGNATURE_HEADER, signWebhookBody } from "@/lib/alerts/webhook-signature";

/**
 * A signed JSON webhook (README: "Alert webhooks"). The body's `id` is the outbox row's, the same on
 * every retry, so a receiver drops a repeat; the signature covers the timestamp and the exact bytes.
 */

export interface WebhookSenderDeps extends PostOptions {
  appUrl: string;
  clock: () => Date;
}

const EVENT_TYPE: Record<AlertMessage["event"], string> = {
  opened: "incident.opened",
  reminder: "incident.reminder",
  resolved: "incident.resolved",
  test: "test",
};

export function webhookBody(delivery: AlertDelivery, appUrl: string, sentAt: Date): Record<string, unknown> {
  const { message, recipient } = delivery;
  const rendered = renderAlert(message, recipient.language, appUrl);
  const incident = message.incident;
  return {
    id: delivery.deliveryId,
    type: EVENT_TYPE[message.event],
    sentAt: sentAt.toISOString(),
    tenant: message.tenantName,
    text: rendered.headline,
    incident: incident && {
      id: incident.id,
      kind: incident.kind,
      state: incident.state,
      statesSeen: incident.statesSeen,
      openedAt: incident.openedAt.toISOString(),
      resolvedAt: incident.resolvedAt?.toISOString() ?? null,
      durationSeconds: Math.round(((incident.resolvedAt ?? sentAt).getTime() - incident.openedAt.getTime()) / 1000),
      gateway: incident.gatewayName,
      reminder: message.event === "reminder" ? incident.reminder : null,
      channels: incident.channels.map((channel) => ({
        id: channel.id,
        name: channel.name,
        phone: channel.phone,
        state: channel.state,
        url: channelLink(appUrl, channel.id),
        ...(channel.state === "needs_qr" && !incident.resolvedAt ? { qrUrl: qrPanelLink(appUrl, channel.id) } : {}),
      })),
    },
  };
}

export function createWebhookSender(deps: WebhookSenderDeps): AlertSender {
  return {
    kind: "webhook",
    async send(delivery) {
      const endpoint = delivery.recipient.webhook;
      if (!endpoint) return { ok: false, error: "the contact has no webhook URL", retry: false };
      if (!endpoint.signingSecret) return { ok: false, error: "the contact has no signing secret", retry: false };
      const now = deps.clock();
      const body = JSON.stringify(webhookBody(delivery, deps.appUrl, now));
      return postJson(endpoint.url, body, { [SIGNATURE_HEADER]: signWebhookBody(endpoint.signingSecret, body, now) }, deps);
    },
  };
}
