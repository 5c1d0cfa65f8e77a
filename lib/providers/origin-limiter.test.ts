import { describe, expect, it } from "vitest";
import type { OutboundPolicy } from "@/lib/net/outbound-guard";
import { createOriginLimiter } from "@/lib/providers/origin-limiter";
import { requestGateway } from "@/lib/providers/http";
import { createProviders } from "@/lib/providers/registry";
import { ProviderError } from "@/lib/providers/types";

const OUTBOUND: OutboundPolicy = { resolver: async () => [{ address: "93.184.215.14", family: 4 }] };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("createOriginLimiter", () => {
  it("holds each origin to its limit, first come first served, and leaves other origins alone", async () => {
    const limiter = createOriginLimiter(2);
    const order: number[] = [];
    const a1 = await limiter.acquire("http://a:1");
    const a2 = await limiter.acquire("http://a:1");
    const waiting = [3, 4].map((n) => limiter.acquire("http://a:1").then((release) => (order.push(n), release)));
    const b = await limiter.acquire("http://b:1");
    await tick();
    expect([limiter.inFlight("http://a:1"), limiter.inFlight("http://b:1"), order]).toEqual([2, 1, []]);
    a1();
    a1(); // a second release of the same slot frees nothing more
    await tick();
    expect(order).toEqual([3]);
    a2();
    const [r3, r4] = await Promise.all(waiting);
    expect(order).toEqual([3, 4]);
    r3();
    r4();
    b();
    expect([limiter.inFlight("http://a:1"), limiter.inFlight("http://b:1")]).toEqual([0, 0]);
  });

  it("a waiter whose deadline passes gives up with the deadline's reason and never takes a slot", async () => {
    const limiter = createOriginLimiter(1);
    const held = await limiter.acquire("o");
    const controller = new AbortController();
    const gaveUp = limiter.acquire("o", controller.signal).then(
      () => "granted",
      (error: unknown) => error,
    );
    const next = limiter.acquire("o");
    controller.abort(new DOMException("deadline", "TimeoutError"));
    expect(await gaveUp).toMatchObject({ name: "TimeoutError" });
    held();
    const release = await next;
    expect(limiter.inFlight("o")).toBe(1);
    release();
    expect(limiter.inFlight("o")).toBe(0);
  });
});

describe("requestGateway under the per-origin cap", () => {
  it("never has more than the limit in flight to one gateway, whatever the caller's concurrency", async () => {
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const fetch: typeof globalThis.fetch = async (input) => {
      const origin = new URL(String(input)).origin;
      inFlight.set(origin, (inFlight.get(origin) ?? 0) + 1);
      peak.set(origin, Math.max(peak.get(origin) ?? 0, inFlight.get(origin)!));
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight.set(origin, inFlight.get(origin)! - 1);
      return new Response(JSON.stringify({ instance: { state: "open" } }));
    };
    const client = { timeoutMs: 5_000, fetch, outbound: OUTBOUND, limiter: createOriginLimiter(20) };
    const call = (baseUrl: string, i: number) =>
      requestGateway(client, { operation: "getState", method: "GET", baseUrl, path: `/instance/connectionState/i${i}`, headers: {} });
    await Promise.all([
      ...Array.from({ length: 150 }, (_, i) => call("https://big.example.test", i)),
      ...Array.from({ length: 30 }, (_, i) => call("https://small.example.test:8443/evo", i)),
    ]);
    expect(Object.fromEntries(peak)).toEqual({ "https://big.example.test": 20, "https://small.example.test:8443": 20 });
  });

  it("time spent waiting for a slot counts against the request's deadline", async () => {
    const fetch: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const client = { timeoutMs: 100, fetch, outbound: OUTBOUND, limiter: createOriginLimiter(1) };
    const call = () =>
      requestGateway(client, { operation: "getState", method: "GET", baseUrl: "https://slow.example.test", path: "/x", headers: {} });
    const started = performance.now();
    const failures = await Promise.all([call(), call()].map((p) => p.catch((error: unknown) => error)));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(failures.map((error) => (error as ProviderError).kind)).toEqual(["provider_down", "provider_down"]);
    expect((failures[1] as ProviderError).message).toMatch(/no answer within 100 ms/);
  });
});

describe("createProviders: one cap shared by every adapter", () => {
  it("holds a gateway origin to 20 calls in flight across kinds, whatever the caller's concurrency", async () => {
    let inFlight = 0;
    let peak = 0;
    const fetch: typeof globalThis.fetch = async (input) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      const path = new URL(String(input)).pathname;
      const body = path.startsWith("/api/sessions/") ? { name: "s", status: "WORKING", me: null } : { instance: { state: "open" } };
      return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
    };
    const providers = createProviders({ timeoutMs: 5_000, fetch, outbound: OUTBOUND });
    const baseUrl = "https://shared.example.test";
    await Promise.all(Array.from({ length: 60 }, (_, i) => i % 2 === 0
      ? providers.evolution.getState({ baseUrl, instanceName: `e${i}`, apiKey: "k" })
      : providers.waha.getState({ baseUrl, instanceName: `w${i}`, apiKey: "k" })));
    expect(peak).toBe(20);
  });
});
