import { createHash } from "node:crypto";

/**
 * A channel's downstream: the platform's own webhook, kept whole, that every accepted event is
 * forwarded to exactly as the gateway would have sent it. Pure helpers shared by the monitor (which
 * adopts it), the receiver and the forwarder (which send to it), and the form and CLI (which edit it).
 * What must stay true: a query value or a header value never appears in a log, an action detail or a
 * page; only origin and path (`displayUrl`) or the masked form (`maskedUrl`, `maskedHeaders`) do.
 */

export const WEBHOOK_MODES = ["adopt", "manage", "off"] as const;
export type WebhookMode = (typeof WEBHOOK_MODES)[number];

export interface Downstream {
  /** With its query string: the platform's token often lives there. */
  url: string;
  /** The platform's own headers, sent with every forward (never ours). */
  headers: Record<string, string>;
  /** The events the platform subscribed to (gateway config names); empty: every event. */
  events: string[];
  /** Evolution's webhookByEvents: each event goes to `<url>/<event-name>`. */
  byEvents: boolean;
  base64: boolean;
}

/** What stands in for a secret wherever a downstream is shown. */
export const MASK = "••••";

/** Origin and path only, for logs, action details and the plain column: no query, no fragment. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "an unreadable URL";
  }
}

/** The URL with every query value replaced by ••••, names kept (`?token=••••`); no fragment. */
export function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const names = [...parsed.searchParams.keys()];
    const query = names.length > 0 ? `?${names.map((name) => `${encodeURIComponent(name)}=${MASK}`).join("&")}` : "";
    return `${parsed.origin}${parsed.pathname}${query}`;
  } catch {
    return "an unreadable URL";
  }
}

export function maskedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, MASK]));
}

/** `messages.upsert` → `MESSAGES_UPSERT`: the name a webhook config subscribes to (Evolution's `we`). */
export function configEventName(event: string): string {
  return event.replace(/[.-]/g, "_").toUpperCase();
}

/**
 * `messages.upsert` → `messages-upsert`: what Evolution appends to a per-event webhook URL
 * (webhook.controller.ts: `transformedWe`). Empty when the body named no event.
 */
export function eventUrlSuffix(event: string): string {
  return configEventName(event).replace(/_/g, "-").toLowerCase();
}

/**
 * Where one event goes. Evolution builds per-event URLs by plain concatenation (`${url}/${event}`), so a
 * URL with a query string gets the suffix after it; the forward does exactly what the gateway did.
 */
export function forwardUrl(downstream: Pick<Downstream, "url" | "byEvents">, suffix: string): string {
  return downstream.byEvents && suffix ? `${downstream.url}/${suffix}` : downstream.url;
}

/** Whether the platform subscribed to this event (no list: it takes every event). */
export function wantsEvent(downstream: Pick<Downstream, "events">, event: string | null): boolean {
  if (downstream.events.length === 0 || event === null) return true;
  return downstream.events.includes(configEventName(event));
}

/** The gateway's repeats are the same bytes: one dedupe key per body. */
export function dedupeKeyOf(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Set by the HTTP client itself, or refused by it: a platform header with one of these names cannot be sent as typed.
const RESERVED = new Set(["host", "content-length", "connection", "keep-alive", "transfer-encoding", "upgrade", "expect", "te", "trailer"]);

/** Why a header cannot be sent as given (null when it can). Never quotes the value. */
export function headerProblem(name: string, value: string): string | null {
  if (!TOKEN.test(name)) return `header name "${name.slice(0, 60)}" is not a valid HTTP header name`;
  if (RESERVED.has(name.toLowerCase())) return `header "${name}" is set by the HTTP client and cannot be forwarded`;
  if (/[\r\n\0]/.test(value)) return `header "${name}" has a line break or NUL in its value`;
  if (value.length > 8192) return `header "${name}" is longer than 8192 characters`;
  return null;
}

export function headersProblem(headers: Record<string, string>): string | null {
  const names = Object.keys(headers);
  if (names.length > 50) return "more than 50 headers";
  for (const name of names) {
    const problem = headerProblem(name, headers[name]);
    if (problem) return problem;
  }
  return null;
}

/** `K=V` as the CLI takes it (`--downstream-header X-Token=abc`); the value may contain `=`. */
export function parseHeaderArgument(text: string): { name: string; value: string } {
  const at = text.indexOf("=");
  if (at <= 0) throw new Error(`--downstream-header "${text.split("=")[0].slice(0, 60)}" must be NAME=VALUE`);
  const name = text.slice(0, at).trim();
  const value = text.slice(at + 1);
  const problem = headerProblem(name, value);
  if (problem) throw new Error(`--downstream-header: ${problem}`);
  return { name, value };
}

/** Why a URL cannot be a downstream (null when it can): http(s), no user info, no fragment. */
export function downstreamUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a valid URL";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "must start with http:// or https://";
  if (parsed.username || parsed.password) return "cannot carry a user name or password";
  if (url.length > 2000) return "is longer than 2000 characters";
  return null;
}
