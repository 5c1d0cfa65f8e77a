import { fetch as undiciFetch } from "undici";
import { judgeDestination, type AddressRange, type Verdict } from "@/lib/net/address-policy";
import { leanRequest, LeanTooLargeError } from "@/lib/net/lean-http";
import { NOTHING_ALLOWED, normalizeHostName, type AllowList } from "@/lib/net/allow-list";
import { parseIp } from "@/lib/net/ip-address";
import { pinnedAgent } from "@/lib/net/pinned-agents";
import { systemResolver, type ResolvedAddress } from "@/lib/net/system-resolver";

/**
 * Every request to a URL a tenant admin typed (gateways, downstream webhooks, alert webhooks) goes
 * through here; operator settings (DATABASE_URL, SMTP_URL, APP_URL) do not. What must stay true:
 * - the host is resolved once, and EVERY address it resolves to is judged (one private answer in a
 *   list of public ones refuses the whole URL);
 * - the connection goes to an address that was judged, never to a second lookup (no DNS-rebinding
 *   gap); the Host header and TLS SNI stay the name that was typed;
 * - redirects are never followed: a 3xx is a refusal, so an allowed host cannot bounce us elsewhere;
 * - refusals name the host, the address and why, never a path or query (they can carry tokens).
 */

export type { ResolvedAddress };

export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export interface OutboundPolicy {
  /** The operator's exceptions (GATEWAY_ALLOWED_HOSTS); none by default. */
  allowed?: AllowList;
  /** Injected in tests; the system resolver (getaddrinfo, answers kept 30 s) by default. */
  resolver?: Resolver;
}

export type RefusalReason = AddressRange | "scheme" | "redirect";

export class OutboundRefusedError extends Error {
  readonly code = "outbound_refused";
  constructor(
    readonly host: string,
    readonly reason: RefusalReason,
    readonly address: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "OutboundRefusedError";
  }
}

export interface VettedUrl {
  url: URL;
  /** The URL's host, lowercased, without IPv6 brackets. */
  host: string;
  port: number;
  /** Every address the host resolved to; all were judged and allowed. */
  addresses: ResolvedAddress[];
}

const DESCRIPTION: Record<AddressRange, string> = {
  loopback: "a loopback address (this server itself)",
  private: "a private network address",
  "link-local": "a link-local address",
  metadata: "a cloud metadata address",
  unspecified: "an unspecified address",
  shared: "a shared (carrier-grade NAT) address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  reserved: "a reserved address",
};

function refusal(host: string, address: string, range: AddressRange): OutboundRefusedError {
  const literal = parseIp(host) !== null;
  const what = literal ? `${address} is ${DESCRIPTION[range]}` : `${host} resolves to ${address}, ${DESCRIPTION[range]}`;
  const remedy =
    range === "metadata"
      ? "only an entry naming exactly this address in GATEWAY_ALLOWED_HOSTS allows it"
      : "ask the operator to allow it in GATEWAY_ALLOWED_HOSTS";
  return new OutboundRefusedError(host, range, address, `${what}; ${remedy}`);
}

/**
 * Resolves the URL's host and judges every address; throws OutboundRefusedError if any is refused. The
 * lookup honours `signal`, so a resolver that hangs counts against the caller's deadline.
 */
export async function vetUrl(input: string | URL, policy: OutboundPolicy = {}, signal?: AbortSignal): Promise<VettedUrl> {
  const url = new URL(input);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OutboundRefusedError(url.protocol, "scheme", undefined, `${url.protocol} URLs are not fetched; use http or https`);
  }
  const host = normalizeHostName(url.hostname.replace(/^\[(.*)\]$/, "$1"));
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const literal = parseIp(host);
  const addresses: ResolvedAddress[] = literal
    ? [{ address: host, family: literal.family }]
    : await resolve(policy.resolver ?? ((name) => systemResolver(name)), host, signal);
  for (const { address } of addresses) {
    const verdict = judged(host, port, address, policy.allowed ?? NOTHING_ALLOWED);
    if (!verdict.allowed) throw refusal(host, address, verdict.range);
  }
  return { url, host, port, addresses };
}

/** Verdicts per allow list (the deployment's is parsed once): the same gateway is judged once, not on every check. */
const verdicts = new WeakMap<AllowList, Map<string, Verdict>>();
const MAX_VERDICTS = 4_096;

/** judgeDestination, remembered: a verdict depends on the host, port, address and allow list only. */
function judged(host: string, port: number, address: string, allowed: AllowList): Verdict {
  let known = verdicts.get(allowed);
  if (!known) verdicts.set(allowed, (known = new Map()));
  const key = `${host} ${port} ${address}`;
  let verdict = known.get(key);
  if (!verdict) {
    verdict = judgeDestination({ host, port, address }, allowed);
    if (known.size >= MAX_VERDICTS) known.clear();
    known.set(key, verdict);
  }
  return verdict;
}

async function resolve(resolver: Resolver, host: string, signal: AbortSignal | undefined): Promise<ResolvedAddress[]> {
  signal?.throwIfAborted();
  const addresses = signal ? await abortable(resolver(host), signal) : await resolver(host);
  // Not a refusal: a name that resolves to nothing is unreachable, as a failed lookup is.
  if (addresses.length === 0) throw new Error(`${host} resolves to no address`, { cause: { code: "ENOTFOUND" } });
  return addresses;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export interface GuardedRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  signal: AbortSignal;
  /** Refuse an answer larger than this (ResponseTooLargeError) instead of holding it all in memory. */
  maxBytes?: number;
}

/** The answer's body is larger than the caller's `maxBytes`: it was not read further. */
export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`answer larger than ${maxBytes} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

/** Reads the whole body, or gives up (and cancels it) as soon as it exceeds `maxBytes`. */
async function readBounded(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

const isRedirect = (status: number) => status >= 300 && status < 400;
const NULL_BODY = new Set([204, 205, 304]);

/**
 * fetch, vetted: refuses before any connection is made, connects only to the vetted addresses, and
 * refuses a redirect. The body is read in full (under the caller's signal) before this returns, which
 * frees the pooled connection for the next call. With `fetch` injected (tests), the URL is still vetted with the
 * policy's resolver and redirects still refused; only the connection is the injected function's.
 */
export async function guardedFetch(
  input: string | URL,
  request: GuardedRequest,
  policy: OutboundPolicy & { fetch?: typeof fetch } = {},
): Promise<Response> {
  const { maxBytes, ...init } = request;
  const vetted = await vetUrl(input, policy, request.signal);
  if (policy.fetch) {
    const response = await policy.fetch(vetted.url.href, { ...init, redirect: "manual" });
    if (isRedirect(response.status)) throw redirectRefusal(vetted, response.status);
    return response;
  }
  const dispatcher = pinnedAgent({ origin: vetted.url.origin, host: vetted.host, addresses: vetted.addresses });
  const response = await undiciFetch(vetted.url, { ...init, redirect: "manual", dispatcher });
  if (isRedirect(response.status)) {
    await response.body?.cancel().catch(() => undefined);
    throw redirectRefusal(vetted, response.status);
  }
  if (maxBytes !== undefined && Number(response.headers.get("content-length") ?? 0) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(maxBytes);
  }
  const body = NULL_BODY.has(response.status)
    ? null
    : maxBytes !== undefined && response.body
      ? await readBounded(response.body as ReadableStream<Uint8Array>, maxBytes)
      : await response.arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: [...response.headers] });
}

export interface GuardedText {
  status: number;
  /** The body decoded as UTF-8, read in full under the caller's signal. */
  text: string;
}

/**
 * guardedFetch for callers that want the status and the body as text (the gateway adapters, on every
 * check): the same vetting, connections only to the vetted addresses, the same refusal of redirects and
 * of bodies over `maxBytes`, through lib/net/lean-http.ts instead of undici, whose per-request cost was
 * most of a check's CPU at thousands of checks a pass. With `fetch` injected (tests) it goes through
 * guardedFetch.
 */
export async function guardedText(
  input: string | URL,
  request: GuardedRequest,
  policy: OutboundPolicy & { fetch?: typeof fetch } = {},
): Promise<GuardedText> {
  if (policy.fetch) {
    const response = await guardedFetch(input, request, policy);
    return { status: response.status, text: await response.text() };
  }
  const vetted = await vetUrl(input, policy, request.signal);
  const { url } = vetted;
  const response = await leanRequest(
    {
      origin: url.origin, https: url.protocol === "https:", host: vetted.host, hostHeader: url.host, port: vetted.port,
      addresses: vetted.addresses,
    },
    {
      method: request.method, path: url.pathname + url.search, headers: request.headers, signal: request.signal,
      maxBytes: request.maxBytes,
      body: request.body === undefined || typeof request.body === "string" ? request.body : Buffer.from(request.body).toString("utf8"),
    },
  ).catch((error: unknown) => {
    throw error instanceof LeanTooLargeError ? new ResponseTooLargeError(error.maxBytes) : error;
  });
  if (isRedirect(response.status)) throw redirectRefusal(vetted, response.status);
  const text = response.body.toString("utf8");
  return { status: response.status, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function redirectRefusal(vetted: VettedUrl, status: number): OutboundRefusedError {
  return new OutboundRefusedError(
    vetted.host,
    "redirect",
    undefined,
    `${vetted.host} answered a redirect (HTTP ${status}); redirects are not followed`,
  );
}
