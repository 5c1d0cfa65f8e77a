import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "@/lib/monitor/classify-state";
import { parseAllowList } from "@/lib/net/allow-list";
import type { OutboundPolicy } from "@/lib/net/outbound-guard";
import { createEvolutionProvider } from "@/lib/providers/evolution";
import { snippetOf } from "@/lib/providers/http";
import { ProviderError, type ChannelTarget } from "@/lib/providers/types";

/** Edge cases a simulator does not produce on its own, through an injected fetch. */

const TARGET: ChannelTarget = { baseUrl: "https://evo.example.test/base/", instanceName: "casa 12", apiKey: "key-1" };
/** The fake gateway's name resolves to a public address without DNS; loopback is for the local server. */
const OUTBOUND: OutboundPolicy = {
  resolver: async () => [{ address: "93.184.215.14", family: 4 }],
  allowed: parseAllowList("127.0.0.1/32"),
};

interface Seen {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(answer: (url: string) => Response | Promise<Response>, seen: Seen[] = []): typeof fetch {
  return async (input, init) => {
    seen.push({ url: String(input), init });
    return answer(String(input));
  };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("requests", () => {
  it("sends the apikey header to the encoded path under the base URL, with a deadline", async () => {
    const seen: Seen[] = [];
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => json({ instance: { instanceName: "casa 12", state: "open" } }), seen) });
    await provider.getState(TARGET);
    expect(seen[0].url).toBe("https://evo.example.test/base/instance/connectionState/casa%2012");
    expect(new Headers(seen[0].init?.headers).get("apikey")).toBe("key-1");
    expect(seen[0].init?.signal).toBeInstanceOf(AbortSignal);
  });

  it("a base URL that is not http(s) is misconfigured and never fetched", async () => {
    const seen: Seen[] = [];
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => json({}), seen) });
    const error = await caught(provider.getState({ ...TARGET, baseUrl: "evo.example.test" }));
    expect(error.kind).toBe("misconfigured");
    expect(seen).toHaveLength(0);
  });

  it("a fetch that never answers is provider_down after the timeout (the signal is honoured)", async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const started = performance.now();
    const error = await caught(createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 120, fetch: hanging }).getState(TARGET));
    expect(error.kind).toBe("provider_down");
    expect(performance.now() - started).toBeLessThan(600);
  });

  it("a refused connection is provider_down", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 1000 });
    const error = await caught(provider.getState({ ...TARGET, baseUrl: `http://127.0.0.1:${port}` }));
    expect(error.kind).toBe("provider_down");
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("a fetch that throws something odd is still provider_down", async () => {
    const throwing: typeof fetch = async () => {
      throw "socket hang up";
    };
    expect((await caught(createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 100, fetch: throwing }).getState(TARGET))).kind).toBe("provider_down");
  });
});

describe("status and body classification", () => {
  it.each([
    [400, "rejected"],
    [401, "misconfigured"],
    [403, "misconfigured"],
    [404, "misconfigured"],
    [422, "rejected"],
    [429, "provider_down"],
    [500, "provider_down"],
    [502, "provider_down"],
  ] as const)("HTTP %i → %s", async (status, kind) => {
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => new Response("{}", { status })) });
    const error = await caught(provider.getState(TARGET));
    expect(error).toMatchObject({ kind, detail: { status, operation: "getState" } });
  });

  it("keeps the gateway's own message of a 400", async () => {
    const body = { status: 400, error: "Bad Request", response: { message: ['The "casa 12" instance is not connected'] } };
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => json(body, 400)) });
    expect((await caught(provider.connect(TARGET))).message).toContain("is not connected");
  });

  it("HTTP 200 with error:true is rejected, for any operation", async () => {
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => json({ error: true, message: "[object Object]" })) });
    expect(await caught(provider.connect(TARGET))).toMatchObject({ kind: "rejected", detail: { status: 200 } });
  });

  it("HTTP 200 that is not JSON is invalid_response with a bounded snippet", async () => {
    const page = `<html>${"x".repeat(1000)}</html>`;
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => new Response(page)) });
    const error = await caught(provider.getState(TARGET));
    expect(error.kind).toBe("invalid_response");
    expect(error.detail.snippet).toBe(page.slice(0, 300));
  });

  it("an empty 200 (restart of a refused instance) is invalid_response", async () => {
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => new Response("")) });
    expect((await caught(provider.restart(TARGET))).kind).toBe("invalid_response");
  });

  it("a state the adapter does not know is invalid_response", async () => {
    const provider = createEvolutionProvider({
      outbound: OUTBOUND,
      timeoutMs: 500,
      fetch: fakeFetch(() => json({ instance: { instanceName: "casa 12" } })),
    });
    expect((await caught(provider.getState(TARGET))).kind).toBe("invalid_response");
  });

  it("snippets never carry tokens", () => {
    expect(snippetOf('[{"name":"x","token":"SECRET-123","apikey":"K"}]')).toBe('[{"name":"x","token":"[redacted]","apikey":"[redacted]"}]');
  });
});

describe("connect answers", () => {
  it.each([
    [{ count: 0 }, { kind: "pending", count: 0 }],
    [{ pairingCode: null, code: null, base64: null, count: 2 }, { kind: "pending", count: 2 }],
    [{ instance: { instanceName: "casa 12", state: "connecting" } }, { kind: "pending", count: 0 }],
    [{ instance: { instanceName: "casa 12", status: "refused" }, qrcode: { count: 6 } }, { kind: "pending", count: 6 }],
    [
      { instance: { instanceName: "casa 12", status: "refused" }, qrcode: { code: "2@q", count: 3 } },
      { kind: "qr", code: "2@q", pairingCode: null, count: 3 },
    ],
    [{ pairingCode: "WZYEH1YY", code: "2@q", base64: "data:x", count: 1 }, { kind: "qr", code: "2@q", base64: "data:x", pairingCode: "WZYEH1YY", count: 1 }],
  ])("%j → %j", async (answer, expected) => {
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => json(answer)) });
    await expect(provider.connect(TARGET)).resolves.toEqual(expected);
  });

  it.each([[{}], [[]], [{ count: "1" }], [null]])("%j → invalid_response", async (answer) => {
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => json(answer)) });
    expect((await caught(provider.connect(TARGET))).kind).toBe("invalid_response");
  });
});

describe("webhook rows", () => {
  it("maps webhookByEvents/webhookBase64 and tolerates null headers and events", async () => {
    const row = { id: "w1", url: "https://x.test/h", enabled: false, events: null, headers: null, webhookByEvents: true, webhookBase64: null };
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => json(row)) });
    await expect(provider.getWebhook(TARGET)).resolves.toEqual({
      enabled: false,
      url: "https://x.test/h",
      events: [],
      headers: {},
      byEvents: true,
      base64: false,
    });
  });

  it("a row without url is invalid_response", async () => {
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(() => json({ enabled: true })) });
    expect((await caught(provider.getWebhook(TARGET))).kind).toBe("invalid_response");
  });
});

describe("outbound guard (issue 9.2)", () => {
  it("the metadata address is refused before any request: misconfigured, saying why", async () => {
    const seen: Seen[] = [];
    const provider = createEvolutionProvider({ timeoutMs: 500, fetch: fakeFetch(() => json({}), seen), outbound: {} });
    const error = await caught(provider.getState({ ...TARGET, baseUrl: "http://169.254.169.254/latest" }));
    expect(error).toMatchObject({ kind: "misconfigured", detail: { refused: { reason: "metadata", address: "169.254.169.254" } } });
    expect(error.message).toBe(
      "getState: gateway 169.254.169.254 is a cloud metadata address; only an entry naming exactly this address in GATEWAY_ALLOWED_HOSTS allows it",
    );
    expect(seen).toHaveLength(0);
    expect(classifyFailure(error)).toMatchObject({ state: "misconfigured", reason: "gateway address not allowed: 169.254.169.254 (metadata)" });
  });

  it("a name that resolves to a private address is refused, for every operation", async () => {
    const seen: Seen[] = [];
    const outbound: OutboundPolicy = { resolver: async () => [{ address: "10.0.0.5", family: 4 }] };
    const provider = createEvolutionProvider({ timeoutMs: 500, fetch: fakeFetch(() => json({}), seen), outbound });
    for (const call of [provider.getState(TARGET), provider.restart(TARGET), provider.connect(TARGET), provider.getWebhook(TARGET)]) {
      const error = await caught(call);
      expect(error.kind).toBe("misconfigured");
      expect(error.message).toContain("gateway evo.example.test resolves to 10.0.0.5, a private network address; ask the operator to allow it in GATEWAY_ALLOWED_HOSTS");
    }
    expect(seen).toHaveLength(0);
  });

  it("a redirect is not followed: misconfigured, and the reason says so", async () => {
    const seen: Seen[] = [];
    const redirect = () => new Response("", { status: 302, headers: { location: "http://169.254.169.254/" } });
    const provider = createEvolutionProvider({ outbound: OUTBOUND, timeoutMs: 500, fetch: fakeFetch(redirect, seen) });
    const error = await caught(provider.getState(TARGET));
    expect(error).toMatchObject({ kind: "misconfigured", detail: { refused: { reason: "redirect" } } });
    expect(seen.map((request) => request.init?.redirect)).toEqual(["manual"]);
    expect(classifyFailure(error)).toMatchObject({ state: "misconfigured", reason: "gateway answered a redirect" });
  });
});
