import { configuredOutboundPolicy } from "@/lib/net/configured-outbound";
import { guardedFetch, OutboundRefusedError, type OutboundPolicy } from "@/lib/net/outbound-guard";

/**
 * One forward of a gateway event to a channel's downstream (the platform's own webhook), exactly as the
 * gateway would have sent it: POST, the same body bytes, content-type application/json, and the
 * downstream's own headers. No header of ours is added: the platform recognises a repeat by the body
 * itself, which is byte-identical (its SHA-256 is our dedupe key). The URL is a tenant admin's or the
 * platform's: it goes through the outbound guard, and a redirect is refused.
 */

export interface ForwardRequest {
  url: string;
  headers: Record<string, string>;
  /** The body exactly as the gateway sent it. */
  body: Uint8Array;
}

export interface SendOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Which addresses the downstream may reach; the deployment's (GATEWAY_ALLOWED_HOSTS) by default. */
  outbound?: OutboundPolicy;
}

export interface SendResult {
  delivered: boolean;
  status?: number;
  error?: string;
  /** Another try would not change it (the gateway drops these too: 400, 401, 403, 404, 422). */
  final: boolean;
  /** The outbound guard refused the address or a redirect: only the operator's settings can change that. */
  refused?: boolean;
}

/** Statuses the gateway itself never retries: the event is dropped, as the gateway would drop it. */
export const NOT_RETRIED = new Set([400, 401, 403, 404, 422]);

/** The downstream's headers, with content-type application/json unless the platform set its own. */
export function forwardHeaders(headers: Record<string, string>): Record<string, string> {
  const own = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
  return own ? { ...headers } : { "content-type": "application/json", ...headers };
}

export async function sendForward(request: ForwardRequest, options: SendOptions): Promise<SendResult> {
  const policy = { ...(options.outbound ?? configuredOutboundPolicy()), fetch: options.fetch };
  try {
    const response = await guardedFetch(request.url, {
      method: "POST",
      headers: forwardHeaders(request.headers),
      // A copy on its own ArrayBuffer: what fetch takes as a body, whatever the bytes came from.
      body: new Uint8Array(request.body),
      signal: AbortSignal.timeout(options.timeoutMs),
    }, policy);
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { delivered: true, status: response.status, final: true };
    return { delivered: false, status: response.status, error: `HTTP ${response.status}`, final: NOT_RETRIED.has(response.status) };
  } catch (error) {
    const refused = error instanceof OutboundRefusedError;
    return { delivered: false, error: error instanceof Error ? error.message : String(error), final: false, ...(refused ? { refused } : {}) };
  }
}

export interface ForwardOptions extends SendOptions {
  attempts: number;
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** For a body sent straight from the request (too large to queue): worst case 4 × 5 s + 0.5 + 1 + 2 s. */
export const DIRECT_FORWARD_OPTIONS: ForwardOptions = { attempts: 4, baseDelayMs: 500, timeoutMs: 5000 };

export interface ForwardResult {
  delivered: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** sendForward with retries and exponential backoff, within one request's lifetime. */
export async function forwardDownstream(request: ForwardRequest, options: ForwardOptions = DIRECT_FORWARD_OPTIONS): Promise<ForwardResult> {
  const sleep = options.sleep ?? wait;
  const result: ForwardResult = { delivered: false, attempts: 0 };
  while (result.attempts < options.attempts) {
    if (result.attempts > 0) await sleep(options.baseDelayMs * 2 ** (result.attempts - 1));
    result.attempts += 1;
    const sent = await sendForward(request, options);
    if (sent.status === undefined) delete result.status;
    else result.status = sent.status;
    if (sent.error === undefined) delete result.error;
    else result.error = sent.error;
    if (sent.delivered) return { ...result, delivered: true };
    // A 4xx the gateway would not retry, a refused address or a redirect will not change by retrying now.
    if (sent.final || sent.refused) return result;
  }
  return result;
}
