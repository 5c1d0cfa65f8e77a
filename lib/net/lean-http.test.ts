import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leanRequest, LeanTooLargeError, type LeanTarget } from "@/lib/net/lean-http";

/** The lean HTTP/1.1 client against real local servers: framing, reuse, deadlines, limits, TLS. */

const running: Array<Server | NetServer> = [];
afterAll(async () => {
  for (const server of running) {
    if ("closeAllConnections" in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen<T extends Server | NetServer>(server: T): Promise<T & { port: number }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  running.push(server);
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

const target = (port: number, overrides: Partial<LeanTarget> = {}): LeanTarget => ({
  origin: `http://gateway.example.test:${port}`, https: false, host: "gateway.example.test", hostHeader: `gateway.example.test:${port}`,
  port, addresses: [{ address: "127.0.0.1", family: 4 }], ...overrides,
});
const get = (t: LeanTarget, pathname: string, extra: { timeoutMs?: number; maxBytes?: number; method?: string; body?: string } = {}) =>
  leanRequest(t, {
    method: extra.method ?? "GET", path: pathname, headers: { apikey: "k", accept: "application/json" }, body: extra.body,
    signal: AbortSignal.timeout(extra.timeoutMs ?? 2_000), maxBytes: extra.maxBytes,
  });
const text = async (promise: ReturnType<typeof get>) => {
  const response = await promise;
  return { status: response.status, body: response.body.toString("utf8") };
};
const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

let http: Server & { port: number };
const connections = { count: 0 };

beforeAll(async () => {
  http = await listen(createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "";
    if (url === "/echo") {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => res.end(JSON.stringify({ method: req.method, host: req.headers.host, apikey: req.headers.apikey, body })));
      return;
    }
    if (url === "/chunked") {
      res.writeHead(200, { "content-type": "application/json" });
      const parts = ['{"a":', '"', "x".repeat(3000), '"', ',"b":[1,2,3]}'];
      let i = 0;
      const next = () => (i < parts.length ? (res.write(parts[i++]), setTimeout(next, 2)) : res.end());
      return next();
    }
    if (url === "/empty") return res.writeHead(204).end();
    if (url === "/big") return res.end("y".repeat(5_000));
    if (url === "/silent") return;
    if (url === "/stall") {
      res.writeHead(200, { "content-length": "100" });
      return res.write("{");
    }
    res.end(JSON.stringify({ ok: true, path: url }));
  }));
  http.on("connection", () => connections.count++);
});

describe("leanRequest", () => {
  it("sends the method, the Host it was given and the headers, to the address it was given; reuses the connection", async () => {
    const before = connections.count;
    const answer = await text(get(target(http.port), "/echo", { method: "POST", body: '{"number":"5511"}' }));
    expect(answer).toEqual({
      status: 200,
      body: JSON.stringify({ method: "POST", host: `gateway.example.test:${http.port}`, apikey: "k", body: '{"number":"5511"}' }),
    });
    for (let i = 0; i < 5; i++) expect((await text(get(target(http.port), `/x${i}`))).body).toBe(`{"ok":true,"path":"/x${i}"}`);
    expect(connections.count - before).toBe(1);
  });

  it("reads chunked answers split anywhere, and answers without a body", async () => {
    const answer = await text(get(target(http.port), "/chunked"));
    expect(JSON.parse(answer.body)).toEqual({ a: "x".repeat(3000), b: [1, 2, 3] });
    expect(await text(get(target(http.port), "/empty"))).toEqual({ status: 204, body: "" });
  });

  it("stops at maxBytes, announced or not", async () => {
    expect(await caught(get(target(http.port), "/big", { maxBytes: 4_000 }))).toBeInstanceOf(LeanTooLargeError);
    expect(await caught(get(target(http.port), "/chunked", { maxBytes: 1_000 }))).toBeInstanceOf(LeanTooLargeError);
    expect((await text(get(target(http.port), "/big", { maxBytes: 5_000 }))).body).toHaveLength(5_000);
  });

  it("ends at the deadline, before the headers or in the middle of the body, and the next request still works", async () => {
    for (const pathname of ["/silent", "/stall"]) {
      const started = performance.now();
      expect(await caught(get(target(http.port), pathname, { timeoutMs: 150 }))).toMatchObject({ name: "TimeoutError" });
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    expect((await text(get(target(http.port), "/after"))).status).toBe(200);
  });

  it("a GET on a connection the server closed while idle is tried again on a new one", async () => {
    const short = await listen(createServer((_req, res) => res.end("{}")));
    short.keepAliveTimeout = 30;
    const t = target(short.port);
    expect((await text(get(t, "/1"))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await text(get(t, "/2"))).status).toBe(200);
  });

  it("a GET whose reused connection drops before any answer is tried once on a new one; a POST is not", async () => {
    // Answers the first request of each connection and drops the connection at the second, as a server
    // closing an idle connection at the moment a request arrives does.
    const dropping = await listen(createNetServer((socket: Socket) => {
      let requests = 0;
      socket.on("data", () => {
        if (++requests === 1) socket.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
        else socket.destroy();
      });
    }));
    const t = target(dropping.port);
    expect((await text(get(t, "/1"))).body).toBe("{}");
    expect((await text(get(t, "/2"))).body).toBe("{}");
    expect(await caught(get(t, "/3", { method: "POST", body: "{}" }))).toBeInstanceOf(Error);
  });

  it("reads raw answers: an interim 100, HTTP/1.0 ended by close, and refuses what is not HTTP", async () => {
    const raw = await listen(createNetServer((socket: Socket) => {
      socket.once("data", (request) => {
        const line = request.toString("latin1").split("\r\n")[0];
        if (line.includes("/interim")) socket.end("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
        else if (line.includes("/close")) socket.end('HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n{"closed":true}');
        else socket.end("SSH-2.0-OpenSSH\r\n\r\n");
      });
    }));
    expect(await text(get(target(raw.port), "/interim"))).toEqual({ status: 200, body: "{}" });
    expect(await text(get(target(raw.port), "/close"))).toEqual({ status: 200, body: '{"closed":true}' });
    expect(await caught(get(target(raw.port), "/other"))).toMatchObject({ message: "the gateway's answer is not HTTP/1.x" });
  });

  it("speaks TLS with SNI and the certificate checked for the name that was typed", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lean-tls-"));
    try {
      execFileSync("openssl", [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=gateway.example.test",
        "-addext", "subjectAltName=DNS:gateway.example.test", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
      ], { stdio: "ignore" });
      const cert = readFileSync(path.join(dir, "cert.pem"));
      const servernames: string[] = [];
      const https = await listen(createHttpsServer({ key: readFileSync(path.join(dir, "key.pem")), cert }, (req, res) => {
        servernames.push((req.socket as unknown as { servername: string }).servername);
        res.end(JSON.stringify({ secure: true }));
      }));
      const secure = target(https.port, { https: true, origin: `https://gateway.example.test:${https.port}` });
      const request = { method: "GET", path: "/", headers: {}, signal: AbortSignal.timeout(2_000) };
      const answer = await leanRequest(secure, request, { ca: cert });
      expect(answer.body.toString()).toBe('{"secure":true}');
      expect(servernames).toEqual(["gateway.example.test"]);
      // The same server under another name fails verification; so does one we were not told to trust.
      const otherName = { ...secure, host: "other.example.test", hostHeader: "other.example.test", origin: "https://other.example.test" };
      expect(await caught(leanRequest(otherName, { ...request, signal: AbortSignal.timeout(2_000) }, { ca: cert })))
        .toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
      expect(await caught(leanRequest({ ...secure, origin: `${secure.origin}/untrusted` }, { ...request, signal: AbortSignal.timeout(2_000) })))
        .toMatchObject({ code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
