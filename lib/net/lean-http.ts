import net from "node:net";
import tls from "node:tls";

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

export interface LeanResponse {
  status: number;
  headers: Record<string, string>;
  /** The raw body bytes. */
  body: Buffer;
}

/** The body is over the caller's limit (read no further). */
export class LeanTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`answer larger than ${maxBytes} bytes`);
    this.name = "LeanTooLargeError";
  }
}

/** Idle connections close after this long: below the 5 s keep-alive of Node servers (Evolution API). */
const IDLE_MS = 4_000;
const MAX_IDLE_PER_KEY = 64;
const MAX_HEADER_BYTES = 64 * 1024;

interface Pooled {
  socket: net.Socket;
  idleTimer?: NodeJS.Timeout;
}

const idle = new Map<string, Pooled[]>();
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
  while (list && list.length > 0) {
    const pooled = list.pop()!;
    clearTimeout(pooled.idleTimer);
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
  const pooled: Pooled = { socket };
  pooled.idleTimer = setTimeout(() => {
    const at = list.indexOf(pooled);
    if (at >= 0) list.splice(at, 1);
    socket.destroy();
  }, IDLE_MS);
  pooled.idleTimer.unref();
  socket.unref();
  list.push(pooled);
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

/** Incremental HTTP/1.1 response parsing: status line, headers, then the body as framed. */
class ResponseParser {
  started = false;
  inBody = false;
  keepAlive = true;
  closeDelimited = false;
  leftover = false;
  private head: Buffer = Buffer.alloc(0);
  private status = 0;
  private headers: Record<string, string> = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private remaining = 0;
  private chunked = false;
  /** Chunked: bytes not yet parsed (a size line split across packets). */
  private pending: Buffer = Buffer.alloc(0);
  private chunkLeft = -1;
  private done = false;

  constructor(private readonly maxBytes?: number) {}

  /** True once the response is complete. */
  push(chunk: Buffer): boolean {
    this.started = true;
    if (!this.inBody) {
      this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      const end = this.head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (this.head.length > MAX_HEADER_BYTES) throw new Error("the gateway's answer has no end of headers");
        return false;
      }
      const rest = this.head.subarray(end + 4);
      if (!this.readHead(this.head.toString("latin1", 0, end))) {
        // 1xx: an interim answer; the real one follows.
        this.head = Buffer.alloc(0);
        return rest.length > 0 ? this.push(rest) : false;
      }
      this.inBody = true;
      if (this.done) {
        this.leftover = rest.length > 0;
        return true;
      }
      return rest.length > 0 ? this.body(rest) : false;
    }
    return this.body(chunk);
  }

  private readHead(text: string): boolean {
    const lines = text.split("\r\n");
    const match = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0]);
    if (!match) throw new Error("the gateway's answer is not HTTP/1.x");
    this.status = Number(match[2]);
    if (this.status >= 100 && this.status < 200) return false;
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(":");
      if (colon <= 0) continue;
      const name = lines[i].slice(0, colon).trim().toLowerCase();
      const value = lines[i].slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    this.headers = headers;
    const connection = (headers.connection ?? "").toLowerCase();
    this.keepAlive = match[1] === "1" ? !connection.includes("close") : connection.includes("keep-alive");
    const noBody = this.status === 204 || this.status === 304;
    if (noBody) {
      this.done = true;
      return true;
    }
    if ((headers["transfer-encoding"] ?? "").toLowerCase().includes("chunked")) {
      this.chunked = true;
      return true;
    }
    if (headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"]);
      if (!Number.isSafeInteger(length) || length < 0) throw new Error("the gateway's answer has a bad Content-Length");
      this.checkSize(length);
      this.remaining = length;
      if (length === 0) this.done = true;
      return true;
    }
    this.closeDelimited = true;
    this.keepAlive = false;
    return true;
  }

  private checkSize(size: number): void {
    if (this.maxBytes !== undefined && size > this.maxBytes) throw new LeanTooLargeError(this.maxBytes);
  }

  private keep(bytes: Buffer): void {
    this.size += bytes.length;
    this.checkSize(this.size);
    this.chunks.push(bytes);
  }

  private body(chunk: Buffer): boolean {
    if (this.closeDelimited) {
      this.keep(chunk);
      return false;
    }
    if (!this.chunked) {
      const take = Math.min(chunk.length, this.remaining);
      this.keep(chunk.subarray(0, take));
      this.remaining -= take;
      if (this.remaining > 0) return false;
      this.leftover = chunk.length > take;
      return true;
    }
    return this.chunkedBody(chunk);
  }

  private chunkedBody(chunk: Buffer): boolean {
    let data: Buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    for (;;) {
      if (this.chunkLeft > 0) {
        const take = Math.min(data.length, this.chunkLeft);
        this.keep(data.subarray(0, take));
        this.chunkLeft -= take;
        data = data.subarray(take);
        if (this.chunkLeft > 0) return false;
        this.chunkLeft = -2; // the CRLF after a chunk's data
      }
      if (this.chunkLeft === -2) {
        if (data.length < 2) {
          this.pending = data;
          return false;
        }
        data = data.subarray(2);
        this.chunkLeft = -1;
      }
      const lineEnd = data.indexOf("\r\n");
      if (lineEnd < 0) {
        if (data.length > 1024) throw new Error("the gateway's chunked answer is malformed");
        this.pending = data;
        return false;
      }
      const size = parseInt(data.toString("latin1", 0, lineEnd).split(";")[0].trim(), 16);
      if (!Number.isSafeInteger(size) || size < 0) throw new Error("the gateway's chunked answer is malformed");
      data = data.subarray(lineEnd + 2);
      if (size === 0) {
        // Trailers (rare) end with an empty line; without any, the CRLF follows at once.
        const end = data.indexOf("\r\n\r\n");
        if (data.subarray(0, 2).toString("latin1") === "\r\n") {
          this.leftover = data.length > 2;
          return true;
        }
        if (end >= 0) {
          this.leftover = data.length > end + 4;
          return true;
        }
        this.pending = Buffer.concat([Buffer.from("0\r\n"), data]);
        return false;
      }
      this.chunkLeft = size;
    }
  }

  response(): LeanResponse {
    return { status: this.status, headers: this.headers, body: this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size) };
  }
}
