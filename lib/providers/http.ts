import type { z } from "zod";
import { configuredOutboundPolicy } from "@/lib/net/configured-outbound";
import { guardedText, OutboundRefusedError, ResponseTooLargeError, type OutboundPolicy } from "@/lib/net/outbound-guard";
import type { OriginLimiter } from "@/lib/providers/origin-limiter";
import { ProviderError, type ProviderErrorKind } from "@/lib/providers/types";

/**
 * The one way adapters talk HTTP to a gateway. Every call has a deadline, every failure leaves as a
 * ProviderError of the right kind, and HTTP 200 is not trusted: a body-level `"error": true` is a
 * rejection. Nothing here throws anything but ProviderError.
 */

export interface GatewayRequest {
  operation: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Gateway base URL as configured (a trailing slash is tolerated). */
  baseUrl: string;
  /** Path with every dynamic segment already URL-encoded. */
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  /** An answer larger than this is `invalid_response`, not read further (a gateway's whole listing). */
  maxBytes?: number;
}

export interface GatewayResponse {
  status: number;
  body: unknown;
  /** The raw text, for error snippets. */
  raw: string;
  latencyMs: number;
}

export interface HttpClient {
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Which addresses a gateway URL may reach; the deployment's (GATEWAY_ALLOWED_HOSTS) by default. */
  outbound?: OutboundPolicy;
  /** Caps requests in flight per gateway origin (origin-limiter.ts); no cap when absent. */
  limiter?: OriginLimiter;
}

const SNIPPET_LENGTH = 300;

/**
 * The start of a raw body, with anything that looks like a key, token or header value blanked out: a
 * gateway may echo a request back in an error (WAHA's 500 does, custom header values and HMAC keys
 * included), and a snippet ends up in checks and the action log.
 */
export function snippetOf(raw: string): string {
  return raw
    .slice(0, SNIPPET_LENGTH * 2)
    .replace(/("(?:token|apikey|api_key|key|value|password|secret|authorization)"\s*:\s*")[^"]*(")/gi, "$1[redacted]$2")
    .slice(0, SNIPPET_LENGTH);
}

export function joinUrl(baseUrl: string, path: string, operation: string): string {
  const url = baseUrl.trim().replace(/\/+$/, "") + path;
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
    throw new ProviderError("misconfigured", `gateway URL is not a valid http(s) URL: ${baseUrl}`, { operation });
  }
  return url;
}

/** `scheme://host[:port]` of a URL joinUrl accepted: what the per-origin cap is keyed by. */
function originOf(url: string): string {
  return (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i.exec(url)?.[0] ?? url).toLowerCase();
}

function describeTransportFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `gateway unreachable: ${reason}`;
}

function tryParseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

/** The gateway's own words, if its error body has any (Evolution: `response.message`, string or list). */
function gatewayMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const record = body as { message?: unknown; response?: { message?: unknown } };
  const message = record.response?.message ?? record.message;
  // 2.3.6 answers a thrown exception object as its toString(): "[object Object]" says nothing.
  if (typeof message === "string") return message === "[object Object]" ? undefined : message;
  if (Array.isArray(message)) return message.filter((part) => typeof part === "string").join("; ") || undefined;
  return undefined;
}

export function errorKindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403 || status === 404) return "misconfigured";
  if (status === 408 || status === 429 || status >= 500) return "provider_down";
  return "rejected";
}

function failForStatus(status: number, raw: string, operation: string): never {
  const parsed = tryParseJson(raw);
  const said = parsed.ok ? gatewayMessage(parsed.value) : undefined;
  const kind = errorKindForStatus(status);
  throw new ProviderError(kind, `${operation}: gateway answered HTTP ${status}${said ? `: ${said}` : ""}`, {
    status,
    snippet: snippetOf(raw),
    operation,
  });
}

export async function requestGateway(client: HttpClient, request: GatewayRequest): Promise<GatewayResponse> {
  const { operation } = request;
  const url = joinUrl(request.baseUrl, request.path, operation);
  const policy = { ...(client.outbound ?? configuredOutboundPolicy()), fetch: client.fetch };
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  if (request.body !== undefined) headers["content-type"] = "application/json";

  // One deadline from here: waiting for a free slot to the gateway counts against it (origin-limiter.ts).
  // As AbortSignal.timeout, but its timer goes when the call does (not after timeoutMs, thousands a pass).
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), client.timeoutMs);
  const signal = deadline.signal;
  let started = performance.now();
  let status: number;
  let raw: string;
  try {
    const release = client.limiter ? await client.limiter.acquire(originOf(url), signal) : undefined;
    try {
      started = performance.now();
      // Reading the body stays under the same deadline: a gateway that sends headers and then stalls is down.
      ({ status, text: raw } = await guardedText(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        maxBytes: request.maxBytes,
      }, policy));
    } finally {
      release?.();
    }
  } catch (error) {
    if (error instanceof ResponseTooLargeError) {
      throw new ProviderError("invalid_response", `${operation}: gateway ${error.message}`, { operation });
    }
    if (error instanceof OutboundRefusedError) {
      throw new ProviderError("misconfigured", `${operation}: gateway ${error.message}`, {
        operation,
        refused: { reason: error.reason, address: error.address },
      });
    }
    throw new ProviderError("provider_down", `${operation}: ${describeTransportFailure(error, client.timeoutMs)}`, {
      operation,
    });
  } finally {
    clearTimeout(timer);
  }
  const latencyMs = Math.round(performance.now() - started);
  if (request.maxBytes !== undefined && raw.length > request.maxBytes) {
    throw new ProviderError("invalid_response", `${operation}: gateway answer larger than ${request.maxBytes} bytes`, { operation, status });
  }

  if (status < 200 || status > 299) failForStatus(status, raw, operation);

  const parsed = tryParseJson(raw);
  if (!parsed.ok) {
    throw new ProviderError("invalid_response", `${operation}: gateway answered HTTP ${status} with a body that is not JSON`, {
      status,
      snippet: snippetOf(raw),
      operation,
    });
  }
  const body = parsed.value;
  if (typeof body === "object" && body !== null && (body as { error?: unknown }).error === true) {
    const said = gatewayMessage(body);
    throw new ProviderError("rejected", `${operation}: gateway answered HTTP ${status} with an error${said ? `: ${said}` : ""}`, {
      status,
      snippet: snippetOf(raw),
      operation,
    });
  }
  return { status, body, raw, latencyMs };
}

/** Validates a gateway answer; a wrong shape is `invalid_response` with the raw start kept. */
export function readAnswer<T>(schema: z.ZodType<T>, response: GatewayResponse, operation: string): T {
  const result = schema.safeParse(response.body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw new ProviderError("invalid_response", `${operation}: unexpected answer shape${where}: ${issue?.message ?? "invalid"}`, {
    status: response.status,
    snippet: snippetOf(response.raw),
    operation,
  });
}
