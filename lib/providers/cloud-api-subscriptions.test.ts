import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudApiSimulator, type CloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import { SIMULATED_APP } from "@/dev/cloud-api-simulator/subscriptions";
import { parseAllowList } from "@/lib/net/allow-list";
import { createCloudApiProvider } from "@/lib/providers/cloud-api";
import { ProviderError, type ChannelTarget } from "@/lib/providers/types";

/** The Cloud API adapter's subscribed_apps methods against the simulator, and Graph's awkward answers through a fake fetch. */

let sim: CloudApiSimulator;
const provider = createCloudApiProvider({ timeoutMs: 1000 });

beforeAll(async () => {
  sim = await startCloudApiSimulator();
  sim.addNumber({ id: "p-1", token: "EAAG-token-1", wabaId: "7001" });
});
afterAll(async () => {
  await sim.stop();
});

const target = (over: Partial<ChannelTarget> = {}): ChannelTarget =>
  ({ baseUrl: sim.url, instanceName: "p-1", apiKey: "EAAG-token-1", wabaId: "7001", ...over });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** A provider whose Graph answers `status` with `body` (as text) to every request. */
function answering(status: number, body: string, contentType = "application/json") {
  const seen: { url: string; method: string }[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(url), method: init?.method ?? "GET" });
    return new Response(body, { status, headers: { "content-type": contentType } });
  }) as typeof globalThis.fetch;
  const outbound = { allowed: parseAllowList("127.0.0.1/32"), resolver: async () => [{ address: "93.184.215.14", family: 4 as const }] };
  return { seen, provider: createCloudApiProvider({ timeoutMs: 1000, fetch, outbound }) };
}

describe("subscribed_apps through the adapter", () => {
  it("reads the apps subscribed to the WABA, and subscribes the token's app when asked", async () => {
    expect(await provider.getSubscribedApps!(target())).toEqual([SIMULATED_APP]);
    sim.subscriptions.setApps("7001", []);
    expect(await provider.getSubscribedApps!(target())).toEqual([]);
    await provider.subscribeApp!(target());
    expect(await provider.getSubscribedApps!(target())).toEqual([SIMULATED_APP]);
    expect(sim.subscriptions.state("7001").subscribes).toBe(1);
  });

  it("asks Graph's versioned base even when the channel's URL has no version", async () => {
    const { seen, provider: graph } = answering(200, JSON.stringify({ data: [] }));
    await graph.getSubscribedApps!(target({ baseUrl: "https://graph.example.com" }));
    expect(seen).toEqual([{ url: "https://graph.example.com/v23.0/7001/subscribed_apps", method: "GET" }]);
  });

  it("a channel without a WABA id never calls Graph: misconfigured, naming --waba-id", async () => {
    const { seen, provider: graph } = answering(200, "{}");
    const error = await failure(graph.getSubscribedApps!(target({ wabaId: undefined })));
    expect([error.kind, error.message]).toEqual(["misconfigured", expect.stringContaining("--waba-id")]);
    expect((await failure(graph.subscribeApp!(target({ wabaId: "  " })))).kind).toBe("misconfigured");
    expect(seen).toEqual([]);
  });

  it("Graph's codes: 100 unknown account (notFound), 190 expired token, 200 missing permission; the token never in a message", async () => {
    const unknown = await failure(provider.getSubscribedApps!(target({ wabaId: "7999" })));
    expect(unknown).toMatchObject({ kind: "misconfigured", detail: { status: 400, notFound: true } });
    expect(unknown.message).toContain("WhatsApp Business Account id");
    sim.subscriptions.setScenario("7001", "expired_token");
    const expired = await failure(provider.getSubscribedApps!(target()));
    expect([expired.kind, expired.message]).toEqual(["misconfigured", expect.stringContaining("expired")]);
    sim.subscriptions.setScenario("7001", "no_permission");
    const denied = await failure(provider.subscribeApp!(target()));
    expect([denied.kind, denied.detail.status]).toEqual(["rejected", 403]);
    expect(denied.message).toContain("code 200");
    sim.subscriptions.setScenario("7001", "healthy");
    for (const error of [unknown, expired, denied]) expect(`${error.message} ${error.detail.snippet}`).not.toContain("EAAG-token-1");
    const stranger = await failure(provider.getSubscribedApps!(target({ apiKey: "not-a-token" })));
    expect([stranger.kind, stranger.detail.status]).toEqual(["misconfigured", 401]);
  });

  it("hidden cases: 200 with an error body, an HTML page, garbage, a wrong shape, success false", async () => {
    const error200 = await failure(answering(200, JSON.stringify({ error: { code: 190, message: "Error validating access token" } })).provider.getSubscribedApps!(target()));
    expect(error200.kind).toBe("misconfigured");
    const html = await failure(answering(502, "<html><body>502 Bad Gateway</body></html>", "text/html").provider.getSubscribedApps!(target()));
    expect(html.kind).toBe("provider_down");
    const garbage = await failure(answering(200, "ok<<not json", "text/plain").provider.getSubscribedApps!(target()));
    expect(garbage.kind).toBe("invalid_response");
    const shape = await failure(answering(200, JSON.stringify({ data: "none" })).provider.getSubscribedApps!(target()));
    expect(shape.kind).toBe("invalid_response");
    const refused = await failure(answering(200, JSON.stringify({ success: false })).provider.subscribeApp!(target()));
    expect([refused.kind, refused.message]).toEqual(["rejected", expect.stringContaining("success false")]);
  });

  it("an entry without its app data still counts as an app subscribed", async () => {
    const { provider: graph } = answering(200, JSON.stringify({ data: [{ override_callback_uri: "https://x.example/" }] }));
    expect(await graph.getSubscribedApps!(target())).toEqual([{ id: "#1", name: null, link: null }]);
  });
});
