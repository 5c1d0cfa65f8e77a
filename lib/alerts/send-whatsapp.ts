import { renderAlert } from "@/lib/alerts/render-alert";
import type { AlertSender } from "@/lib/alerts/types";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import { ProviderError, type ChannelTarget, type Provider, type ProviderKind } from "@/lib/providers/types";

/**
 * WhatsApp through another line: the alert goes out from the tenant's alert sender, a channel of its
 * own chosen by an admin, through that channel's gateway, whichever kind it is (each adapter's `sendText`:
 * Evolution, WAHA, Z-API, the Cloud API). What must stay true:
 * - never from the channel the incident is about (it is the line that is down, or it would be the one
 *   being told about itself), nor from one that is not connected: such a row fails at once, saying why,
 *   and other contacts still get theirs;
 * - the sender channel is read when the row is sent, not when it was queued: an admin who picks a new
 *   sender fixes the next retry;
 * - only what may pass is retried (the gateway down, timing out, rate-limiting: `provider_down`); a
 *   refusal a person must act on (a refused key, a closed session, the Cloud API's 24-hour window) fails
 *   the row at once, its reason in the adapter's plain words.
 */

export interface SenderChannel {
  channelId: string;
  name: string;
  /** The channel's state as the monitor last recorded it. */
  state: string;
  provider: ProviderKind;
  target: ChannelTarget;
}

export interface WhatsAppSenderDeps {
  appUrl: string;
  providers: Record<ProviderKind, Provider>;
  /** The tenant's alert sender with its key opened, or null when none is chosen. Throws only on database trouble. */
  senderChannel: (tenantId: string) => Promise<SenderChannel | null>;
}

export function createWhatsAppSender(deps: WhatsAppSenderDeps): AlertSender {
  return {
    kind: "whatsapp",
    async send(delivery) {
      const { recipient, message } = delivery;
      if (!recipient.target) return { ok: false, error: "the contact has no WhatsApp number", retry: false };
      let sender: SenderChannel | null;
      try {
        sender = await deps.senderChannel(recipient.tenantId);
      } catch (error) {
        return { ok: false, error: `the alert sender channel cannot be read: ${(error as Error).message}`.slice(0, 300), retry: true };
      }
      if (!sender) return { ok: false, error: "no alert sender channel is chosen for this tenant", retry: false };
      if (message.incident?.channels.some((channel) => channel.id === sender.channelId)) {
        return { ok: false, error: `the alert sender "${sender.name}" is a channel this incident is about; choose another sender`, retry: false };
      }
      if (sender.state !== "connected") {
        return { ok: false, error: `the alert sender "${sender.name}" is not connected (${sender.state})`, retry: false };
      }
      const provider = deps.providers[sender.provider];
      const gateway = PROVIDER_TRAITS[sender.provider].label;
      if (!provider.sendText) return { ok: false, error: `${gateway} channels cannot send alerts; choose another sender`, retry: false };
      const rendered = renderAlert(message, recipient.language, deps.appUrl);
      const from = `from "${sender.name}" (${gateway})`;
      try {
        const sent = await provider.sendText(sender.target, { number: recipient.target.replace(/^\+/, ""), text: rendered.text });
        return { ok: true, detail: `${from}${sent.messageId ? `, message ${sent.messageId}` : ""}` };
      } catch (error) {
        if (error instanceof ProviderError) {
          // provider_down may pass later; a refusal (closed session, not a WhatsApp number, a refused key) needs a person.
          const words = error.message.replace(/^sendText: /, "");
          return { ok: false, error: `${from}: ${words}`.slice(0, 500), retry: error.kind === "provider_down" };
        }
        return { ok: false, error: `${from}: ${(error as Error).message}`.slice(0, 500), retry: true };
      }
    },
  };
}
