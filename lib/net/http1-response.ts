/**
 * Incremental parsing of one HTTP/1.1 answer for lib/net/lean-http.ts: the status line, the headers,
 * then the body as its framing says (Content-Length, chunked, or until the server closes). Interim 1xx
 * answers are skipped. What must stay true: it never buffers more than MAX_HEADER_BYTES of headers nor
 * more than `maxBytes` of body, and it reports bytes past the answer (`leftover`) so that a connection
 * carrying them is never reused.
 */

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

const MAX_HEADER_BYTES = 64 * 1024;

/** Incremental HTTP/1.1 response parsing: status line, headers, then the body as framed. */
export class ResponseParser {
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
