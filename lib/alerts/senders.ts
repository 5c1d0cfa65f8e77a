import { createEmailSender, type EmailSenderDeps } from "@/lib/alerts/send-email";
import { createSlackSender } from "@/lib/alerts/send-slack";
import { createWebhookSender } from "@/lib/alerts/send-webhook";
import { createWhatsAppSender, type WhatsAppSenderDeps } from "@/lib/alerts/send-whatsapp";
import type { AlertKind, AlertSender } from "@/lib/alerts/types";
import type { OutboundPolicy } from "@/lib/net/outbound-guard";

/** Everything the four senders need, injected: tests pass stand-ins, the runtime passes the deployment's. */
export interface SenderDeps {
  appUrl: string;
  clock: () => Date;
  timeoutMs: number;
  smtp: EmailSenderDeps["smtp"];
  /** For URLs typed by tenant admins (webhook, Slack); the deployment's policy when absent. */
  outbound?: OutboundPolicy;
  fetch?: typeof fetch;
  providers: WhatsAppSenderDeps["providers"];
  senderChannel: WhatsAppSenderDeps["senderChannel"];
}

/** Every alert kind has exactly one sender: a kind added to AlertKind without one fails to compile. */
export function createAlertSenders(deps: SenderDeps): Record<AlertKind, AlertSender> {
  const http = { appUrl: deps.appUrl, timeoutMs: deps.timeoutMs, outbound: deps.outbound, fetch: deps.fetch };
  return {
    email: createEmailSender({ smtp: deps.smtp, appUrl: deps.appUrl, timeoutMs: deps.timeoutMs }),
    webhook: createWebhookSender({ ...http, clock: deps.clock }),
    slack: createSlackSender(http),
    whatsapp: createWhatsAppSender({ appUrl: deps.appUrl, providers: deps.providers, senderChannel: deps.senderChannel }),
  };
}
