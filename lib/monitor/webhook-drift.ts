import { decryptSecret } from "@/lib/crypto/secret-box";
import { judgeForeignWebhook, unionEvents, type AdoptionDeps } from "@/lib/monitor/adopt-webhook";
import { sampleDue } from "@/lib/monitor/quiet-check";
import type { ClaimedWebhook } from "@/lib/monitor/types";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import { ProviderError, type ChannelTarget, type OwnWebhook, type Provider, type WebhookConfig } from "@/lib/providers/types";
import { displayUrl } from "@/lib/webhooks/downstream";

/**
 * Webhook drift repair. A gateway keeps one webhook per instance, and field reports show it switched
 * off, pointed elsewhere or trimmed without anyone noticing; it also carries guests' messages to the
 * platform (through the receiver's downstream forwarding). The monitor reads it at most every
 * WEBHOOK_CHECK_INTERVAL_MS per channel and puts back what drifted, as the channel's webhook mode says:
 * - adopt: the first time a foreign webhook (the platform's) is found and the channel has no downstream,
 *   it is kept whole as the downstream BEFORE anything on the gateway changes, then ours is installed
 *   with both subscriptions (lib/monitor/adopt-webhook.ts decides whether it can be adopted at all);
 * - manage: ours only; a foreign webhook is replaced (its origin and path logged);
 * - off: the gateway's webhook is never read nor touched.
 * Putting ours back never drops a downstream. A query string or a header value is never logged.
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
  /** The downstream's base64 choice when there is a downstream; otherwise the gateway's is kept. */
  base64?: boolean;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** What differs between what the gateway keeps and what it should, one phrase each; empty when nothing does. */
export function describeDrift(expected: ExpectedWebhook, actual: WebhookConfig | null): string[] {
  if (!actual) return ["webhook missing"];
  const drift: string[] = [];
  if (actual.enabled !== expected.enabled) drift.push(expected.enabled ? "webhook disabled" : "webhook enabled, should be off");
  if (!expected.enabled) return drift;
  if (actual.url !== expected.url) drift.push(`URL changed (gateway had ${displayUrl(actual.url)})`);
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

/**
 * The v2 body to restore: ours where it matters. Other headers on OUR webhook are kept; a foreign
 * webhook's headers are the platform's secrets and never go onto ours. The base64 choice is the
 * downstream's when there is one, else the gateway's.
 */
export function restoredConfig(expected: ExpectedWebhook, actual: WebhookConfig | null): WebhookConfig {
  const ours = actual?.url === expected.url;
  const otherHeaders = Object.fromEntries(
    Object.entries(ours ? actual.headers : {}).filter(([name]) => name.toLowerCase() !== WEBHOOK_SECRET_HEADER),
  );
  return {
    enabled: expected.enabled,
    url: expected.url,
    events: expected.events.length > 0 ? expected.events : (actual?.events ?? []),
    headers: { ...otherHeaders, [WEBHOOK_SECRET_HEADER]: expected.secret },
    byEvents: false,
    base64: expected.base64 ?? actual?.base64 ?? false,
  };
}

export interface DriftCheck {
  /** The new channel_status.webhook_checked_at: unchanged when the gateway was not asked. */
  checkedAt: Date | null;
  /**
   * A webhook_restore to record: only when something had drifted (or could not be put right), or a
   * platform webhook was adopted ("ok") or left alone with the channel put in mode off ("skipped").
   */
  restore?: { outcome: "ok" | "failed" | "skipped"; detail: string };
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
  /** How to adopt a platform's webhook (mode adopt). Without it a foreign webhook is left as it is. */
  adoption?: AdoptionDeps;
}

/** Once per quarter hour of the clock, with the raw-check samples (lib/monitor/quiet-check.ts): one write for both. */
export function isWebhookCheckDue(checkedAt: Date | null, now: Date): boolean {
  return sampleDue(checkedAt, now, WEBHOOK_CHECK_INTERVAL_MS);
}

function describeError(error: unknown): string {
  if (error instanceof ProviderError) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads the gateway's webhook when due and restores it when it drifted (adopting a platform's webhook
 * first, in mode adopt). Never throws; never reveals the secret, a query string or a header value.
 */
export async function checkWebhookDrift(input: DriftCheckInput): Promise<DriftCheck> {
  const { webhook, now, provider } = input;
  // Mode off: not even read. The platform owns the webhook; nothing here may change it.
  if (webhook.mode === "off") return { checkedAt: webhook.checkedAt };
  // A gateway whose webhook is not Sentinela's to keep (traits: webhook "none").
  if (!provider.getWebhook || !provider.setWebhook) return { checkedAt: webhook.checkedAt };
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
  // A channel whose events are all another gateway's names (it changed kind) subscribes to its kind's defaults.
  const wanted = webhook.events.some((event) => accepted.has(event)) ? webhook.events : PROVIDER_TRAITS[provider.kind].webhookEvents;
  const dropped = wanted.filter((event) => !accepted.has(event));
  // An adopted (or admin-set) downstream keeps its own subscription on the one webhook there is.
  const forwarded = webhook.mode === "adopt" && webhook.downstream ? webhook.downstream : null;
  const url = webhookReceiverUrl(input.baseUrl, input.provider.kind, input.channelId);
  // On a gateway that keeps a list (WAHA), only this entry is read and written; the platform's stay as they are.
  const own: OwnWebhook = { url, secretHeader: WEBHOOK_SECRET_HEADER };
  const expected: ExpectedWebhook = {
    url,
    secret,
    events: unionEvents(wanted, forwarded?.events ?? [], accepted),
    enabled: webhook.enabled,
    ...(forwarded ? { base64: forwarded.base64 } : {}),
  };

  let actual: WebhookConfig | null;
  try {
    actual = await provider.getWebhook(input.target, own);
  } catch (error) {
    return { checkedAt: now, note: hide(`webhook not checked: ${describeError(error)}`) };
  }
  const foreign = actual !== null && actual.enabled && actual.url !== "" && actual.url !== expected.url;
  if (foreign && webhook.mode === "adopt" && !webhook.downstream) {
    return hideAll(await adoptPlatformWebhook(input, expected, actual!, accepted), hide);
  }
  if (foreign && webhook.mode === "adopt" && !webhook.enabled) {
    return { checkedAt: now, note: `platform webhook to ${displayUrl(actual!.url)} left as it is: this channel's webhook is disabled` };
  }
  const drift = describeDrift(expected, actual);
  if (drift.length === 0) return { checkedAt: now };

  const ignored = dropped.length > 0 ? `; not gateway events, left out: ${dropped.join(", ")}` : "";
  const kept = foreign && webhook.downstream ? `; the channel's downstream (${webhook.downstream.display}) is kept and still forwarded to` : "";
  try {
    const stored = await provider.setWebhook(input.target, restoredConfig(expected, actual), own);
    const still = describeDrift(expected, stored);
    if (still.length > 0) {
      return { checkedAt: now, restore: { outcome: "failed", detail: hide(`${drift.join("; ")}; gateway kept: ${still.join("; ")}`) } };
    }
    return { checkedAt: now, restore: { outcome: "ok", detail: hide(`restored: ${drift.join("; ")}${ignored}${kept}`) } };
  } catch (error) {
    return { checkedAt: now, restore: { outcome: "failed", detail: hide(`${drift.join("; ")}; restore failed: ${describeError(error)}`) } };
  }
}

function hideAll(check: DriftCheck, hide: (text: string) => string): DriftCheck {
  return {
    ...check,
    ...(check.note ? { note: hide(check.note) } : {}),
    ...(check.restore ? { restore: { ...check.restore, detail: hide(check.restore.detail) } } : {}),
  };
}

/**
 * The platform's webhook, found on the gateway for the first time: keep it as the downstream (stored
 * before the gateway is touched, so it can never be lost), then install ours with both subscriptions,
 * the platform's base64 choice and our secret header only. Or, when it cannot be forwarded safely,
 * change nothing on the gateway and put the channel in mode off with the reason.
 */
async function adoptPlatformWebhook(
  input: DriftCheckInput,
  expected: ExpectedWebhook,
  actual: WebhookConfig,
  accepted: ReadonlySet<string>,
): Promise<DriftCheck> {
  const { now, channelId } = input;
  const where = displayUrl(actual.url);
  if (!input.adoption) {
    return { checkedAt: now, note: `platform webhook to ${where} left as it is: this monitor cannot store a downstream` };
  }
  const verdict = await judgeForeignWebhook(actual, input.adoption.outbound);
  if (verdict.kind === "later") {
    return { checkedAt: now, note: `platform webhook not adopted yet, left as it is: ${verdict.detail}` };
  }
  if (verdict.kind === "off") {
    await input.adoption.store.turnOff(channelId, `${verdict.reason}: ${verdict.detail}`);
    return {
      checkedAt: now,
      restore: { outcome: "skipped", detail: `platform webhook to ${where} left untouched; webhook mode set to off: ${verdict.detail}` },
    };
  }
  if (!(await input.adoption.store.adoptDownstream(channelId, verdict.downstream, now))) {
    // Someone set a downstream or another mode meanwhile: decide again on the next check.
    return { checkedAt: input.webhook.checkedAt, note: "platform webhook not adopted: the channel's downstream or mode changed meanwhile" };
  }
  const events = unionEvents(expected.events, actual.events, accepted);
  const ours: ExpectedWebhook = { ...expected, events, enabled: true, base64: actual.base64 };
  const subscription = `events ${events.length}, per-event URLs ${actual.byEvents ? "on" : "off"}, ${Object.keys(actual.headers).length} header(s)`;
  try {
    // Reached only after checkWebhookDrift found getWebhook and setWebhook on this adapter.
    const stored = await input.provider.setWebhook?.(input.target, restoredConfig(ours, null)) ?? null;
    const still = describeDrift(ours, stored);
    if (still.length > 0) {
      return {
        checkedAt: now,
        restore: { outcome: "failed", detail: `platform webhook ${where} kept as this channel's downstream; installing ours: gateway kept: ${still.join("; ")}` },
      };
    }
    return { checkedAt: now, restore: { outcome: "ok", detail: `platform webhook preserved and forwarded: ${where} (${subscription})` } };
  } catch (error) {
    return {
      checkedAt: now,
      restore: { outcome: "failed", detail: `platform webhook ${where} kept as this channel's downstream; installing ours failed: ${describeError(error)}` },
    };
  }
}
