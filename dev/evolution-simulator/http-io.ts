import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY_BYTES = 1024 * 1024;

export class BodyError extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyError("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** An absent body reads as `{}`; a body that is not JSON is a BodyError. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new BodyError("request body is not JSON");
  }
}

export function sendRaw(res: ServerResponse, status: number, raw: string, contentType = "application/json; charset=utf-8"): void {
  // The client may have given up (timeouts are part of the game): writing then is pointless, not an error.
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(raw) });
  res.end(raw);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  // JSON.stringify(undefined) is undefined: like Express, answer an empty body then.
  sendRaw(res, status, JSON.stringify(body) ?? "");
}
