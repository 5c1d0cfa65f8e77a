import { postJson, type PostOptions } from "@/lib/alerts/post-json";
import { renderAlert, type RenderedAlert } from "@/lib/alerts/render-alert";
import type { AlertSender } from "@/lib/alerts/types";

/**
 * Slack's incoming-webhook format (also taken by Mattermost, Rocket.Chat, Discord's /slack endpoint):
 * `text` for notifications and clients without blocks, and blocks with the same words and links.
 * Nothing is signed: the hook's URL is its secret, so errors never show its path.
 */

/** Slack mrkdwn: only &, < and > are special; a name with them must not become a link or a mention. */
function mrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function slackBody(rendered: RenderedAlert): Record<string, unknown> {
  const links = rendered.links.map((link) => `<${link.url}|${mrkdwn(link.label)}>`);
  return {
    text: rendered.headline,
    blocks: [
      { type: "header", text: { type: "plain_text", text: rendered.headline.slice(0, 150), emoji: false } },
      { type: "section", text: { type: "mrkdwn", text: rendered.lines.map(mrkdwn).join("\n").slice(0, 3000) || " " } },
      ...(links.length > 0 ? [{ type: "section", text: { type: "mrkdwn", text: links.join("\n").slice(0, 3000) } }] : []),
    ],
  };
}

export function createSlackSender(deps: PostOptions & { appUrl: string }): AlertSender {
  return {
    kind: "slack",
    async send(delivery) {
      const endpoint = delivery.recipient.webhook;
      if (!endpoint) return { ok: false, error: "the contact has no webhook URL", retry: false };
      const rendered = renderAlert(delivery.message, delivery.recipient.language, deps.appUrl);
      return postJson(endpoint.url, JSON.stringify(slackBody(rendered)), {}, deps);
    },
  };
}
