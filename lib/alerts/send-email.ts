import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { renderAlert } from "@/lib/alerts/render-alert";
import type { AlertSender, SendOutcome } from "@/lib/alerts/types";

/**
 * E-mail over the operator's SMTP server (SMTP_URL, ALERT_FROM): plain text and simple HTML in the
 * contact's language. SMTP_URL is operator configuration, not a tenant's URL: it does not go through the
 * outbound guard. The Message-ID is derived from the outbox row, the same on every retry, so a repeat
 * after a crash between send and commit threads as the same message.
 */

export interface EmailSenderDeps {
  /** null when SMTP_URL or ALERT_FROM is not configured: every e-mail fails, retried, saying which. */
  smtp: { url: string; from: string } | null;
  appUrl: string;
  timeoutMs: number;
}

/** 4xx is the server's "try later"; connection trouble too. 5xx refuses this message for good, except auth. */
export function classifySmtpError(error: unknown): SendOutcome {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const said = (e.response ?? e.message ?? String(error)).replace(/\s+/g, " ").slice(0, 300);
  if (typeof e.responseCode === "number" && e.responseCode >= 500 && e.code !== "EAUTH") {
    return { ok: false, error: `SMTP refused the message: ${said}`, retry: false };
  }
  return { ok: false, error: `SMTP: ${said}`, retry: true };
}

function messageIdDomain(appUrl: string): string {
  try {
    return new URL(appUrl).hostname || "sentinela.local";
  } catch {
    return "sentinela.local";
  }
}

export function createEmailSender(deps: EmailSenderDeps): AlertSender {
  let transport: Transporter<SMTPTransport.SentMessageInfo> | undefined;
  const transporter = (url: string) =>
    (transport ??= nodemailer.createTransport({
      url,
      connectionTimeout: deps.timeoutMs,
      greetingTimeout: deps.timeoutMs,
      socketTimeout: deps.timeoutMs,
    } as SMTPTransport.Options));

  return {
    kind: "email",
    async send(delivery) {
      if (!deps.smtp) return { ok: false, error: "e-mail is not configured (SMTP_URL and ALERT_FROM)", retry: true };
      const to = delivery.recipient.target;
      if (!to) return { ok: false, error: "the contact has no e-mail address", retry: false };
      const rendered = renderAlert(delivery.message, delivery.recipient.language, deps.appUrl);
      try {
        const info = await transporter(deps.smtp.url).sendMail({
          from: deps.smtp.from,
          to,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId: `<alert-${delivery.deliveryId}@${messageIdDomain(deps.appUrl)}>`,
          headers: { "X-Sentinela-Delivery": delivery.deliveryId },
        });
        if (info.rejected.length > 0) return { ok: false, error: `SMTP refused ${to}: ${info.response}`.slice(0, 300), retry: false };
        return { ok: true, detail: info.response.slice(0, 200) };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
  };
}
