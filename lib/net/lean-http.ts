import net from "node:net";
import tls from "node:tls";
import { ResponseParser } from "@/lib/net/http1-response";

export { LeanTooLargeError } from "@/lib/net/http1-response";

/**
 * A small HTTP/1.1 client for the one hot path that needs it: gateway calls, thousands per monitor pass
 * (lib/net/outbound-guard.ts guardedText). Measured on this project's 2-core machine, 10,000 requests at
 * concurrency 200: undici (fetch, request or dispatch) and node:http spend 0.18–0.23 ms of CPU per
 * request, this 0.05 ms. It only speaks what gateways answer: a status line, headers, and a body sized by
 * Content-Length, chunked, or ended by the server closing.
 *
 * What must stay true:
 * - it connects only to the addresses it is given (the outbound guard vetted them); Host and TLS SNI
 *   stay the name that was typed, and certificates are verified as Node verifies them;
 * - a pooled connection is only ever reused for the same origin AND the same vetted address set;
 * - every request ends by its signal at the latest, and a connection that did not end cleanly is never
 *   reused; an idle connection never keeps the process alive;
 * - a GET that fails on a reused connection before any answer (the server closed it while idle) is tried
 *   once more on a new one; nothing else is retried.
 */

export interface LeanTarget {
  /** scheme://host[:port], as URL writes it. */
  origin: string;
  https: boolean;
  /** The name to verify and send (Host, SNI), without IPv6 brackets. */
  host: string;
  /** The Host header: host[:port], with brackets for IPv6. */
  hostHeader: string;
  port: number;
  addresses: readonly { address: string; family: 4 | 6 }[];
}

export interface LeanRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  maxBytes?: number;
}

export type { LeanResponse } from "@/lib/net/http1-response";
import type { LeanResponse } from "@/lib/net/http1-response";

/**
 * An idle connection is reused only within this long: below the 5 s keep-alive of Node servers
 * (Evolution API). One sweep a second closes those idle longer (no timer per request).
 */
const IDLE_MS = 4_000;
const SWEEP_MS = 1_000;
const MAX_IDLE_PER_KEY = 64;

interface Pooled {
  socket: net.Socket;
  /** performance.now() when it went back to the pool. */
  idleSince: number;
}

const idle = new Map<string, Pooled[]>();
let sweeper: NodeJS.Timeout | undefined;

/** Closes connections idle for IDLE_MS or more; stops itself once the pool is empty. */
function sweep(): void {
  const now = performance.now();
  for (const [key, list] of idle) {
    // Oldest first: they went back in order.
    let stale = 0;
    while (stale < list.length && now - list[stale].idleSince >= IDLE_MS) list[stale++].socket.destroy();
    if (stale > 0) list.splice(0, stale);
    if (list.length === 0) idle.delete(key);
  }
  if (idle.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}
const tlsSessions = new Map<string, Buffer>();

const ignore = () => {};
const keyOf = (target: LeanTarget) => `${target.origin}|${target.addresses.map((a) => a.address).join(",")}`;

/** Test seam: extra TLS options (a test's own CA). Never set in production. */
export interface LeanOptions {
  ca?: string | Buffer;
}

export async function leanRequest(target: LeanTarget, request: LeanRequest, options: LeanOptions = {}): Promise<LeanResponse> {
  request.signal.throwIfAborted();
  const key = keyOf(target);
  const reused = takeIdle(key);
  if (reused) {
    try {
      return await exchange(reused, key, target, request);
    } catch (error) {
      if (!(error instanceof StaleConnectionError) || request.method !== "GET") throw unwrap(error);
    }
  }
  const socket = await connect(target, key, request.signal, options);
  return exchange(socket, key, target, request).catch((error: unknown) => {
    throw unwrap(error);
  });
}

/** The connection failed before any byte of an answer: on a reused connection, worth one more try. */
class StaleConnectionError extends Error {
  constructor(readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

const unwrap = (error: unknown) => (error instanceof StaleConnectionError ? error.cause : error);

function takeIdle(key: string): net.Socket | undefined {
  const list = idle.get(key);
  // The most recently used first; one idle too long is closed, never reused (the server may be closing it).
  const now = performance.now();
  while (list && list.length > 0) {
    const pooled = list.pop()!;
    if (now - pooled.idleSince >= IDLE_MS) {
      pooled.socket.destroy();
      continue;
    }
    if (!pooled.socket.destroyed && pooled.socket.writable) {
      pooled.socket.ref();
      return pooled.socket;
    }
  }
  return undefined;
}

function release(key: string, socket: net.Socket): void {
  let list = idle.get(key);
  if (!list) idle.set(key, (list = []));
  if (list.length >= MAX_IDLE_PER_KEY) {
    socket.destroy();
    return;
  }
  socket.unref();
  list.push({ socket, idleSince: performance.now() });
  if (!sweeper) {
    sweeper = setInterval(sweep, SWEEP_MS);
    sweeper.unref();
  }
}

function connect(target: LeanTarget, key: string, signal: AbortSignal, options: LeanOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    let index = 0;
    let socket: net.Socket | undefined;
    const onAbort = () => {
      socket?.destroy();
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const attempt = () => {
      const { address, family } = target.addresses[index];
      const ready = target.https ? "secureConnect" : "connect";
      socket = target.https
        ? tls.connect({
          host: address, port: target.port,
          servername: net.isIP(target.host) ? undefined : target.host,
          ALPNProtocols: ["http/1.1"],
          session: tlsSessions.get(key),
          ...(options.ca ? { ca: options.ca } : {}),
        })
        : net.connect({ host: address, port: target.port, family });
      socket.setNoDelay(true);
      // Errors are handled by whoever uses the socket (and by 'close'); idle, one must never crash the process.
      socket.on("error", ignore);
      if (target.https) socket.on("session", (session: Buffer) => tlsSessions.set(key, session));
      const current = socket;
      const fail = (error: Error) => {
        current.removeListener(ready, succeed);
        current.destroy();
        if (signal.aborted) return;
        // Another vetted address may answer (a name with several); never an address that was not vetted.
        if (++index < target.addresses.length) return attempt();
        signal.removeEventListener("abort", onAbort);
        reject(error);
      };
      const succeed = () => {
        current.removeListener("error", fail);
        signal.removeEventListener("abort", onAbort);
        resolve(current);
      };
      current.once("error", fail);
      current.once(ready, succeed);
    };
    attempt();
  });
}

function serialize(target: LeanTarget, request: LeanRequest): string {
  let head = `${request.method} ${request.path} HTTP/1.1\r\nhost: ${target.hostHeader}\r\n`;
  for (const name in request.headers) head += `${name}: ${request.headers[name]}\r\n`;
  if (request.body !== undefined) head += `content-length: ${Buffer.byteLength(request.body)}\r\n`;
  return `${head}\r\n${request.body ?? ""}`;
}

/**
 * One request and its answer on `socket`. Resolves once the whole body is in; the connection goes back
 * to the pool only when the answer ended where its framing said and the server keeps it open.
 */
function exchange(socket: net.Socket, key: string, target: LeanTarget, request: LeanRequest): Promise<LeanResponse> {
  return new Promise((resolve, reject) => {
    const parser = new ResponseParser(request.maxBytes);
    let settled = false;
    const finish = (error?: unknown, response?: LeanResponse, keep = false) => {
      if (settled) return;
      settled = true;
      socket.removeListener("data", onData);
      socket.removeListener("error", onError);
      socket.removeListener("close", onClose);
      request.signal.removeEventListener("abort", onAbort);
      if (error !== undefined) {
        socket.destroy();
        reject(error);
        return;
      }
      if (keep) release(key, socket);
      else socket.destroy();
      resolve(response!);
    };
    const onData = (chunk: Buffer) => {
      try {
        const done = parser.push(chunk);
        if (done) finish(undefined, parser.response(), parser.keepAlive && !parser.leftover);
      } catch (error) {
        finish(error);
      }
    };
    const onEnd = (cause: unknown) => {
      if (parser.closeDelimited && parser.inBody) {
        finish(undefined, parser.response(), false);
        return;
      }
      finish(parser.started ? cause : new StaleConnectionError(cause));
    };
    const onError = (error: Error) => onEnd(error);
    const onClose = () => onEnd(new Error("the gateway closed the connection"));
    const onAbort = () => finish(request.signal.reason);
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("close", onClose);
    request.signal.addEventListener("abort", onAbort, { once: true });
    socket.write(serialize(target, request));
  });
}
