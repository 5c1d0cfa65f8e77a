import { decryptSecret } from "@/lib/crypto/secret-box";
import type { ClaimedWebhook } from "@/lib/monitor/types";
import { ProviderError, type ChannelTarget, type Provider, type WebhookConfig } from "@/lib/providers/types";

/**
 * Webhook drift repair. A gateway keeps one webhook per instance, and field reports show it switched
 * off, pointed elsewhere or trimmed without anyone noticing; it also carries guests' messages to the
 * platform (through the receiver's downstream forwarding). The monitor reads it at most every
 * WEBHOOK_CHECK_INTERVAL_MS per channel and puts back what drifted.
 */

/** The header the gateway sends with every delivery; its value is the channel's webhook secret. */
export const WEBHOOK_SECRET_HEADER = "x-sentinela-webhook-secret";

export const WEBHOOK_CHECK_INTERVAL_MS = 15 * 60_000;

/** Sentinela's receiver for one channel: what the gateway's webhook URL must be. */
export function webhookReceiverUrl(baseUrl: string, provider: string, channelId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/webhooks/${provider}/${channelId}`;
}

export interface ExpectedWebhook {
  url: string;
  secret: string;
  /** Only names the gateway accepts. Empty: leave the gateway's choice of events alone. */
  events: string[];
  enabled: boolean;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Origin and path only: a query string may carry someone's token. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "an unreadable URL";
  }
}

/** What differs between what the gateway keeps and what it should, one phrase each; empty when nothing does. */
export function describeDrift(expected: ExpectedWebhook, actual: WebhookConfig | null): string[] {
  if (!actual) return ["webhook missing"];
  const drift: string[] = [];
  if (actual.enabled !== expected.enabled) drift.push(expected.enabled ? "webhook disabled" : "webhook enabled, should be off");
  if (!expected.enabled) return drift;
  if (actual.url !== expected.url) drift.push(`URL changed (gateway had ${describeUrl(actual.url)})`);
  if (expected.events.length > 0) {
    const missing = expected.events.filter((event) => !actual.events.includes(event));
    const extra = actual.events.filter((event) => !expected.events.includes(event));
    if (missing.length > 0) drift.push(`events missing: ${missing.join(", ")}`);
    if (extra.length > 0) drift.push(`unexpected events: ${extra.join(", ")}`);
  }
  const secret = headerValue(actual.headers, WEBHOOK_SECRET_HEADER);
  if (secret === undefined) drift.push("secret header missing");
  else if (secret !== expected.secret) drift.push("secret header wrong");
  // Per-event URLs would send deliveries to `<url>/connection-update`, which is not the receiver.
  if (actual.byEvents) drift.push("per-event URLs switched on");
  return drift;
}

/** The v2 body to restore: ours where it matters, the gateway's other headers and base64 choice kept. */
export function restoredConfig(expected: ExpectedWebhook, actual: WebhookConfig | null): WebhookConfig {
  const otherHeaders = Object.fromEntries(
    Object.entries(actual?.headers ?? {}).filter(([name]) => name.toLowerCase() !== WEBHOOK_SECRET_HEADER),
  );
  return {
    enabled: expected.enabled,
    url: expected.url,
    events: expected.events.length > 0 ? expected.events : (actual?.events ?? []),
    headers: { ...otherHeaders, [WEBHOOK_SECRET_HEADER]: expected.secret },
    byEvents: false,
    base64: actual?.base64 ?? false,
  };
}

export interface DriftCheck {
  /** The new channel_status.webhook_checked_at: unchanged when the gateway was not asked. */
  checkedAt: Date | null;
  /** A webhook_restore to record: only when something had drifted (or could not be put right). */
  restore?: { outcome: "ok" | "failed"; detail: string };
  /** For the check's detail: why drift was not checked, or what went wrong reading it. */
  note?: string;
}

export interface DriftCheckInput {
  provider: Provider;
  target: ChannelTarget;
  channelId: string;
  webhook: ClaimedWebhook;
  /** APP_URL. Without it there is no receiver URL to expect, so drift is not checked. */
  baseUrl: string | undefined;
  secretKey: string;
  now: Date;
}

export function isWebhookCheckDue(checkedAt: Date | null, now: Date): boolean {
  return !checkedAt || now.getTime() - checkedAt.getTime() >= WEBHOOK_CHECK_INTERVAL_MS;
}

function describeError(error: unknown): string {
  if (error instanceof ProviderError) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Reads the gateway's webhook when due and restores it when it drifted. Never throws; never reveals the secret. */
export async function checkWebhookDrift(input: DriftCheckInput): Promise<DriftCheck> {
  const { webhook, now } = input;
  if (!isWebhookCheckDue(webhook.checkedAt, now)) return { checkedAt: webhook.checkedAt };
  if (!input.baseUrl) {
    return { checkedAt: webhook.checkedAt, note: "webhook drift not checked: APP_URL is not set, so there is no receiver URL" };
  }
  if (!webhook.secretCiphertext) {
    return { checkedAt: now, restore: { outcome: "failed", detail: "channel has no webhook secret: add the channel again" } };
  }
  let secret: string;
  try {
    secret = decryptSecret(webhook.secretCiphertext, input.secretKey);
  } catch (error) {
    return { checkedAt: now, restore: { outcome: "failed", detail: `webhook secret unreadable: ${describeError(error)}` } };
  }
  const hide = (text: string) => text.split(secret).join("[secret]").slice(0, 1000);

  const accepted = new Set(input.provider.webhookEventNames);
  const dropped = webhook.events.filter((event) => !accepted.has(event));
  const expected: ExpectedWebhook = {
    url: webhookReceiverUrl(input.baseUrl, input.provider.kind, input.channelId),
    secret,
    events: webhook.events.filter((event) => accepted.has(event)),
    enabled: webhook.enabled,
  };

  let actual: WebhookConfig | null;
  try {
    actual = await input.provider.getWebhook(input.target);
  } catch (error) {
    return { checkedAt: now, note: hide(`webhook not checked: ${describeError(error)}`) };
  }
  const drift = describeDrift(expected, actual);
  if (drift.length === 0) return { checkedAt: now };

  const ignored = dropped.length > 0 ? `; not gateway events, left out: ${dropped.join(", ")}` : "";
  try {
    const stored = await input.provider.setWebhook(input.target, restoredConfig(expected, actual));
    const still = describeDrift(expected, stored);
    if (still.length > 0) {
      return { checkedAt: now, restore: { outcome: "failed", detail: hide(`${drift.join("; ")}; gateway kept: ${still.join("; ")}`) } };
    }
    return { checkedAt: now, restore: { outcome: "ok", detail: hide(`restored: ${drift.join("; ")}${ignored}`) } };
  } catch (error) {
    return { checkedAt: now, restore: { outcome: "failed", detail: hide(`${drift.join("; ")}; restore failed: ${describeError(error)}`) } };
  }
}
