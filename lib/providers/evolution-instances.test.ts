import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEvolutionSimulator, type EvolutionSimulator } from "@/dev/evolution-simulator/server";
import { createEvolutionProvider } from "@/lib/providers/evolution";
import { phoneFromJid } from "@/lib/providers/evolution-schemas";
import { NotGlobalKeyError, ProviderError, type Provider } from "@/lib/providers/types";

const GLOBAL_KEY = "listing-global-key";

let sim: EvolutionSimulator;
let provider: Provider;

beforeAll(async () => {
  sim = await startEvolutionSimulator({ globalApiKey: GLOBAL_KEY, seed: 11, connectLatencyMs: 10 });
  sim.addInstance({ name: "pousada-centro", token: "token-centro-0001", scenario: "healthy" });
  sim.addInstance({ name: "pousada-nova", token: "token-nova-0001", scenario: "never_paired" });
  sim.addInstance({ name: "pousada-praia", token: "token-praia-0001", scenario: "logged_out" });
  provider = createEvolutionProvider({ timeoutMs: 1000 });
});

afterAll(async () => {
  await sim.stop();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (error: unknown) => error);
}

describe("listInstances (fetchInstances with the global key)", () => {
  it("lists every instance, normalised: phone in E.164 from ownerJid, stored state, token, profile name", async () => {
    const rows = await provider.listInstances!({ baseUrl: sim.url, apiKey: GLOBAL_KEY });
    expect(rows.map((row) => row.name).sort()).toEqual(["pousada-centro", "pousada-nova", "pousada-praia"]);
    const centro = rows.find((row) => row.name === "pousada-centro")!;
    expect(centro).toMatchObject({ connectionStatus: "open", token: "token-centro-0001", profileName: "Sim pousada-centro" });
    expect(centro.phone).toMatch(/^\+55[0-9]{11}$/);
    // Never paired: no owner, so no phone and no profile.
    expect(rows.find((row) => row.name === "pousada-nova")).toMatchObject({ phone: null, connectionStatus: "close", profileName: null });
  });

  it("a wrong key is 'not the gateway's global key', not a generic 401", async () => {
    const error = await rejection(provider.listInstances!({ baseUrl: sim.url, apiKey: "not-the-key" }));
    expect(error).toBeInstanceOf(NotGlobalKeyError);
    expect(error).toMatchObject({ kind: "misconfigured", instanceName: null });
    expect((error as Error).message).toBe("the key is not the gateway's global key (the gateway refused it)");
  });

  it("an instance token (the gateway answers that instance alone) is refused as a token, naming the instance", async () => {
    const error = await rejection(provider.listInstances!({ baseUrl: sim.url, apiKey: "token-praia-0001" }));
    expect(error).toBeInstanceOf(NotGlobalKeyError);
    expect(error).toMatchObject({ instanceName: "pousada-praia" });
    expect((error as Error).message).toMatch(/instance token of "pousada-praia", not the gateway's global key/);
  });

  it("an answer of the wrong shape is invalid_response, with no token in the snippet", async () => {
    const fake = (async () =>
      new Response(JSON.stringify([{ name: 42, token: "leaky-token" }]), { status: 200 })) as unknown as typeof fetch;
    const fakeProvider = createEvolutionProvider({ timeoutMs: 1000, fetch: fake });
    const error = await rejection(fakeProvider.listInstances!({ baseUrl: sim.url, apiKey: GLOBAL_KEY }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "invalid_response" });
    expect((error as ProviderError).detail.snippet).not.toContain("leaky-token");
  });

  it("goes through the outbound guard: a loopback gateway is refused when the policy does not allow it", async () => {
    const strict = createEvolutionProvider({ timeoutMs: 1000, outbound: {} });
    const error = await rejection(strict.listInstances!({ baseUrl: sim.url, apiKey: GLOBAL_KEY }));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).detail.refused).toMatchObject({ reason: "loopback" });
    expect(sim.list().every((instance) => !instance.calls["GET /instance/fetchInstances"])).toBe(true);
  });
});

describe("phoneFromJid", () => {
  it.each([
    ["5511987654321@s.whatsapp.net", "+5511987654321"],
    ["5511987654321:12@s.whatsapp.net", "+5511987654321"],
    [" 14155550123@s.whatsapp.net ", "+14155550123"],
  ])("%s → %s", (jid, phone) => {
    expect(phoneFromJid(jid)).toBe(phone);
  });

  it.each([null, undefined, "", "123@s.whatsapp.net", "05511987654321@s.whatsapp.net", "1234567890123456@s.whatsapp.net",
    "5511987654321@lid", "120363025246125486@g.us", "5511987654321", 5511987654321])("%s → null", (jid) => {
    expect(phoneFromJid(jid)).toBeNull();
  });
});
