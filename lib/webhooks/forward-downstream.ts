import { configuredOutboundPolicy } from "@/lib/net/configured-outbound";
import { guardedFetch, OutboundRefusedError, type OutboundPolicy } from "@/lib/net/outbound-guard";

/**
 * Forwards an accepted gateway event, byte for byte, to the channel's downstream URL (the platform's
 * own message handling), so one gateway webhook feeds both. Runs after the receiver has answered and
 * must never hold that answer up. Retries with exponential backoff, each attempt with its own timeout;
 * on Vercel only within the function's lifetime (after() keeps it alive up to maxDuration, no longer):
 * what still fails after the last attempt is logged and dropped, as the gateway itself would drop it.
 * The URL is a tenant admin's: it goes through the outbound guard, and a refused address or a redirect
 * is final (retrying will not change it).
 */

export interface ForwardJob {
  channelId: string;
  url: string;
  /** The body exactly as the gateway sent it. */
  body: string;
}

export interface ForwardOptions {
  attempts: number;
  baseDelayMs: number;
  timeoutMs: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Which addresses the downstream URL may reach; the deployment's (GATEWAY_ALLOWED_HOSTS) by default. */
  outbound?: OutboundPolicy;
}

/** Worst case 4 × 5 s + 0.5 + 1 + 2 s ≈ 24 s: inside the receiver route's maxDuration. */
export const DEFAULT_FORWARD_OPTIONS: ForwardOptions = { attempts: 4, baseDelayMs: 500, timeoutMs: 5000 };

export interface ForwardResult {
  delivered: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

// Worth another try: the downstream may be restarting or shedding load. Other 4xx will not change.
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function forwardDownstream(job: ForwardJob, options: ForwardOptions = DEFAULT_FORWARD_OPTIONS): Promise<ForwardResult> {
  const policy = { ...(options.outbound ?? configuredOutboundPolicy()), fetch: options.fetch };
  const sleep = options.sleep ?? wait;
  const result: ForwardResult = { delivered: false, attempts: 0 };
  while (result.attempts < options.attempts) {
    if (result.attempts > 0) await sleep(options.baseDelayMs * 2 ** (result.attempts - 1));
    result.attempts += 1;
    try {
      const response = await guardedFetch(job.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-sentinela-channel-id": job.channelId },
        body: job.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      }, policy);
      await response.arrayBuffer().catch(() => undefined);
      result.status = response.status;
      delete result.error;
      if (response.ok) return { ...result, delivered: true };
      if (!retryable(response.status)) return result;
    } catch (error) {
      result.error = error instanceof Error ? error.message : String(error);
      if (error instanceof OutboundRefusedError) return result;
    }
  }
  return result;
}

/** Origin and path only, for logs: a query string may carry the platform's token. */
export function describeDownstream(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "an unreadable URL";
  }
}
