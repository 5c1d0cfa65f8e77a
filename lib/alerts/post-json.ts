import type { SendOutcome } from "@/lib/alerts/types";
import { configuredOutboundPolicy } from "@/lib/net/configured-outbound";
import { guardedFetch, OutboundRefusedError, type OutboundPolicy } from "@/lib/net/outbound-guard";

/**
 * POSTs one alert to a URL a tenant admin typed (signed webhooks, Slack-compatible hooks). The URL goes
 * through the outbound guard, always: metadata, private and loopback addresses are refused unless the
 * operator allowed them, and a redirect is refused. Never throws; an error never carries the URL's path
 * or query (a Slack hook's path is its secret).
 */

export interface PostOptions {
  timeoutMs: number;
  outbound?: OutboundPolicy;
  /** Injected in tests. */
  fetch?: typeof fetch;
}

/** 408, 425, 429 and 5xx may pass later; any other 4xx needs a person (a wrong URL, a revoked hook). */
export function isRetriedStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export async function postJson(url: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<SendOutcome> {
  let host = "the endpoint";
  try {
    host = new URL(url).host;
  } catch {
    return { ok: false, error: "the URL is not valid", retry: false };
  }
  try {
    const response = await guardedFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Sentinela-Alerts/1", ...headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    }, { ...(options.outbound ?? configuredOutboundPolicy()), fetch: options.fetch });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true, detail: `${host}: HTTP ${response.status}` };
    return { ok: false, error: `${host} answered HTTP ${response.status}`, retry: isRetriedStatus(response.status) };
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { ok: false, error: `refused: ${error.message}`, retry: false };
    return { ok: false, error: `${host}: ${describeFailure(error, options.timeoutMs)}`, retry: true };
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return `unreachable (${cause?.code ?? (error instanceof Error ? error.message : String(error))})`.slice(0, 300);
}
