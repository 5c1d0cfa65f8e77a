import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowList } from "@/lib/net/allow-list";
import { guardedText, OutboundRefusedError, ResponseTooLargeError } from "@/lib/net/outbound-guard";

/** guardedText over a real connection (undici's dispatcher.request, not fetch), against a local server. */

let server: Server;
let base: string;
const policy = () => ({ allowed: parseAllowList(new URL(base).host) });
const get = (path: string, extra: { maxBytes?: number; timeoutMs?: number } = {}) =>
  guardedText(`${base}${path}`, { method: "GET", headers: { apikey: "k" }, signal: AbortSignal.timeout(extra.timeoutMs ?? 2_000), maxBytes: extra.maxBytes }, policy());
const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/state") return res.end(JSON.stringify({ instance: { state: "open" }, key: req.headers.apikey }));
    if (req.url === "/redirect") return res.writeHead(302, { location: "http://169.254.169.254/" }).end();
    if (req.url === "/big") return res.writeHead(200, { "content-length": "5000" }).end("x".repeat(5000));
    if (req.url === "/big-chunked") {
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write("y".repeat(500));
      return res.end();
    }
    if (req.url === "/stall") {
      res.writeHead(200, { "content-length": "100" });
      return res.write("{");
    }
    res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("guardedText", () => {
  it("answers the status and the body as text, with the caller's headers", async () => {
    expect(await get("/state")).toEqual({ status: 200, text: '{"instance":{"state":"open"},"key":"k"}' });
    expect(await get("/nope")).toEqual({ status: 404, text: "{}" });
  });

  it("refuses before connecting where the policy refuses, and never follows a redirect", async () => {
    const refused = await caught(guardedText(`${base}/state`, { method: "GET", headers: {}, signal: AbortSignal.timeout(1_000) }, {}));
    expect(refused).toMatchObject({ reason: "loopback" });
    expect(await caught(get("/redirect"))).toBeInstanceOf(OutboundRefusedError);
    expect(await caught(get("/redirect"))).toMatchObject({ reason: "redirect" });
  });

  it("stops at maxBytes, whether the size is announced or not", async () => {
    expect(await caught(get("/big", { maxBytes: 4_000 }))).toBeInstanceOf(ResponseTooLargeError);
    expect(await caught(get("/big-chunked", { maxBytes: 4_000 }))).toBeInstanceOf(ResponseTooLargeError);
    expect((await get("/big-chunked", { maxBytes: 5_000 })).text).toHaveLength(5_000);
  });

  it("a body that stalls fails at the caller's deadline", async () => {
    const started = performance.now();
    expect(await caught(get("/stall", { timeoutMs: 200 }))).toMatchObject({ name: "TimeoutError" });
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
