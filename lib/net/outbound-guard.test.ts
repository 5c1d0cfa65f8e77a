import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowList } from "@/lib/net/allow-list";
import { guardedFetch, OutboundRefusedError, vetUrl, type ResolvedAddress, type Resolver } from "@/lib/net/outbound-guard";

/** Names never reach DNS here: every resolver is injected, and no name below exists. */

const answers = (...addresses: string[]): ResolvedAddress[] =>
  addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

function scriptedResolver(...script: ResolvedAddress[][]): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = async (host: string) => {
    calls.push(host);
    return script[Math.min(calls.length, script.length) - 1];
  };
  return Object.assign(resolver, { calls });
}

async function refusalOf(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundRefusedError);
  return error as OutboundRefusedError;
}

describe("vetUrl", () => {
  it("refuses the metadata address without resolving anything", async () => {
    const resolver = scriptedResolver(answers("93.184.215.14"));
    const error = await refusalOf(vetUrl("http://169.254.169.254/latest/meta-data/iam?token=s3cret", { resolver }));
    expect(error).toMatchObject({ code: "outbound_refused", reason: "metadata", address: "169.254.169.254", host: "169.254.169.254" });
    expect(error.message).toBe(
      "169.254.169.254 is a cloud metadata address; only an entry naming exactly this address in GATEWAY_ALLOWED_HOSTS allows it",
    );
    expect(resolver.calls).toEqual([]);
  });

  it("refuses a name that resolves to a private address, naming host, address and why, never the path", async () => {
    const error = await refusalOf(vetUrl("https://gw.example.test/instance?apikey=s3cret", { resolver: scriptedResolver(answers("10.0.0.1")) }));
    expect(error.message).toBe("gw.example.test resolves to 10.0.0.1, a private network address; ask the operator to allow it in GATEWAY_ALLOWED_HOSTS");
    expect(error.message).not.toContain("s3cret");
  });

  it("refuses a name when any one of its addresses is refused", async () => {
    const resolver = scriptedResolver(answers("93.184.215.14", "2606:4700::1111", "192.168.0.10"));
    expect(await refusalOf(vetUrl("http://mixed.example.test", { resolver }))).toMatchObject({ reason: "private", address: "192.168.0.10" });
    const mapped = scriptedResolver(answers("93.184.215.14", "::ffff:127.0.0.1"));
    expect(await refusalOf(vetUrl("http://mixed.example.test", { resolver: mapped }))).toMatchObject({ reason: "loopback" });
  });

  it("refuses literal aliases of loopback and IPv6 private addresses", async () => {
    for (const url of ["http://127.1:8080", "http://[::1]/", "http://[::ffff:7f00:1]/", "http://0x7f000001/", "http://[fd00::5]/", "http://0/"]) {
      await expect(vetUrl(url, {})).rejects.toBeInstanceOf(OutboundRefusedError);
    }
  });

  it("returns every vetted address of an allowed or public host", async () => {
    const resolver = scriptedResolver(answers("93.184.215.14", "2606:4700::1111"));
    const vetted = await vetUrl("https://GW.Example.test./base", { resolver });
    expect(vetted).toMatchObject({ host: "gw.example.test", port: 443, addresses: answers("93.184.215.14", "2606:4700::1111") });
    expect(resolver.calls).toEqual(["gw.example.test"]);
  });

  it("an allowed host:port works and the same host on another port is refused", async () => {
    const allowed = parseAllowList("gw.internal:8080,10.9.9.9:9000");
    const resolver = scriptedResolver(answers("10.1.2.3"));
    await expect(vetUrl("http://gw.internal:8080/", { resolver, allowed })).resolves.toMatchObject({ port: 8080 });
    expect(await refusalOf(vetUrl("http://gw.internal:8081/", { resolver, allowed }))).toMatchObject({ reason: "private" });
    expect(await refusalOf(vetUrl("http://gw.internal/", { resolver, allowed }))).toMatchObject({ reason: "private" });
    await expect(vetUrl("http://10.9.9.9:9000/", { allowed })).resolves.toMatchObject({ host: "10.9.9.9" });
    await expect(vetUrl("http://10.9.9.9:9001/", { allowed })).rejects.toBeInstanceOf(OutboundRefusedError);
  });

  it("refuses other schemes; a name with no address is unreachable, not refused", async () => {
    expect(await refusalOf(vetUrl("file:///etc/passwd", {}))).toMatchObject({ reason: "scheme" });
    const error = await vetUrl("http://nowhere.example.test", { resolver: scriptedResolver([]) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(OutboundRefusedError);
  });

  it("a resolver that hangs is cut off by the caller's signal", async () => {
    const hanging: Resolver = () => new Promise(() => {});
    const started = performance.now();
    await expect(vetUrl("http://slow.example.test", { resolver: hanging }, AbortSignal.timeout(100))).rejects.toMatchObject({ name: "TimeoutError" });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

interface Listener {
  server: Server;
  port: number;
  seen: { host: string | undefined; local: string | undefined; url: string | undefined }[];
}

async function listen(host: string, port: number, answer: (request: IncomingMessage) => [number, Record<string, string>, string]): Promise<Listener> {
  const seen: Listener["seen"] = [];
  const server = createServer((request, response) => {
    seen.push({ host: request.headers.host, local: request.socket.localAddress, url: request.url });
    const [status, headers, body] = answer(request);
    response.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

const close = (listener: Listener) => new Promise<void>((resolve) => listener.server.close(() => resolve()));
const GET = () => ({ method: "GET", headers: {}, signal: AbortSignal.timeout(2000) });

describe("guardedFetch against real sockets", () => {
  let vetted: Listener;
  let rebound: Listener;
  let redirecting: Listener;

  beforeAll(async () => {
    vetted = await listen("127.0.0.1", 0, () => [200, { "content-type": "application/json" }, '{"ok":true}']);
    // The address a rebinding resolver answers second: same port, another loopback address.
    rebound = await listen("127.0.0.2", vetted.port, () => [200, {}, '{"rebound":true}']);
    redirecting = await listen("127.0.0.1", 0, () => [302, { location: `http://127.0.0.2:${vetted.port}/` }, ""]);
  });

  afterAll(async () => {
    await Promise.all([vetted, rebound, redirecting].map(close));
  });

  it("connects to the address that was vetted, keeping the name in Host (no DNS-rebinding gap)", async () => {
    const resolver = scriptedResolver(answers("127.0.0.1"), answers("127.0.0.2"));
    const policy = { resolver, allowed: parseAllowList(`127.0.0.1:${vetted.port}`) };
    const url = `http://rebind.example.test:${vetted.port}/instance/connectionState/x`;

    const response = await guardedFetch(url, GET(), policy);
    expect(await response.json()).toEqual({ ok: true });
    expect(resolver.calls).toEqual(["rebind.example.test"]);
    expect(vetted.seen.at(-1)).toMatchObject({ host: `rebind.example.test:${vetted.port}`, local: "127.0.0.1" });
    expect(rebound.seen).toHaveLength(0);

    // The next request vets again, and the rebound answer (127.0.0.2 is not allowed) is refused.
    expect(await refusalOf(guardedFetch(url, GET(), policy))).toMatchObject({ reason: "loopback", address: "127.0.0.2" });
    expect(rebound.seen).toHaveLength(0);
  });

  it("does not follow a redirect: a 3xx is a refusal and its target is never contacted", async () => {
    const policy = { allowed: parseAllowList(`127.0.0.1:${redirecting.port},127.0.0.2`) };
    const error = await refusalOf(guardedFetch(`http://127.0.0.1:${redirecting.port}/`, GET(), policy));
    expect(error).toMatchObject({ reason: "redirect" });
    expect(error.message).toBe("127.0.0.1 answered a redirect (HTTP 302); redirects are not followed");
    expect(redirecting.seen).toHaveLength(1);
    expect(rebound.seen).toHaveLength(0);
  });

  it("an allowed host:port is fetched; the same host on another port is refused before connecting", async () => {
    const allowed = parseAllowList(`127.0.0.1:${vetted.port}`);
    const before = redirecting.seen.length;
    await expect(guardedFetch(`http://127.0.0.1:${vetted.port}/`, GET(), { allowed })).resolves.toMatchObject({ status: 200 });
    expect(await refusalOf(guardedFetch(`http://127.0.0.1:${redirecting.port}/`, GET(), { allowed }))).toMatchObject({ reason: "loopback" });
    expect(redirecting.seen).toHaveLength(before);
  });

  it("with nothing allowed, loopback is refused and nothing is sent", async () => {
    const before = vetted.seen.length;
    await refusalOf(guardedFetch(`http://localhost:${vetted.port}/`, GET(), { resolver: scriptedResolver(answers("127.0.0.1", "::1")) }));
    await refusalOf(guardedFetch(`http://127.0.0.1:${vetted.port}/`, GET(), {}));
    expect(vetted.seen).toHaveLength(before);
  });

  it("an injected fetch is still vetted and still refuses redirects", async () => {
    const sent: string[] = [];
    const fetch = (async (input: string | URL | Request) => {
      sent.push(String(input));
      return new Response("", { status: 301, headers: { location: "http://169.254.169.254/" } });
    }) as typeof globalThis.fetch;
    await refusalOf(guardedFetch("http://10.0.0.5/", GET(), { fetch }));
    expect(sent).toEqual([]);
    const resolver = scriptedResolver(answers("93.184.215.14"));
    expect(await refusalOf(guardedFetch("https://gw.example.test/", GET(), { fetch, resolver }))).toMatchObject({ reason: "redirect" });
    expect(sent).toEqual(["https://gw.example.test/"]);
  });
});
