import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudApiSimulator, type CloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import { createCloudApiProvider } from "@/lib/providers/cloud-api";
import { ProviderError, type ChannelTarget } from "@/lib/providers/types";

/**
 * sendText through the WhatsApp Cloud API (`POST /{phone-number-id}/messages`, Bearer token), against
 * its simulator: what Evolution's sender is held to (evolution-send-text.test.ts), the hidden cases every
 * adapter has (garbage, a hang, an HTML error page, wrong keys, a 200 that carries an error), and Graph's
 * own refusals: 131047 outside the 24-hour window and 190 for the token in plain words, never retried;
 * rate limits retried (provider_down).
 */

let sim: CloudApiSimulator;
const provider = createCloudApiProvider({ timeoutMs: 700 });
const CONTACT = "5511987654321";
const message = { number: CONTACT, text: "Linha X precisa de QR" };

beforeAll(async () => {
  sim = await startCloudApiSimulator();
});
afterAll(async () => {
  await sim.stop();
});

function number(id: string, options: { window?: boolean } = {}): ChannelTarget {
  const token = `EAAG-${id}`;
  sim.addNumber({ id, token });
  if (options.window !== false) sim.customerWrote(id, CONTACT);
  return { baseUrl: `${sim.url}/v23.0`, instanceName: id, apiKey: token, wabaId: "300000000000003" };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("sendText (Cloud API POST /{phone-number-id}/messages)", () => {
  it("inside the window the message is sent: Graph's wamid comes back and the simulator records to and body", async () => {
    const target = number("1001");
    const sent = await provider.sendText!(target, message);
    expect(sent.messageId).toMatch(/^wamid\./);
    expect(sent.status).toBe("accepted");
    expect(sim.sent("1001")).toEqual([expect.objectContaining({ id: sent.messageId, to: CONTACT, body: "Linha X precisa de QR" })]);
  });

  it("the base URL without a version gets the adapter's (v23.0); the request is the documented text message", async () => {
    const target = number("1002");
    const sent = await provider.sendText!({ ...target, baseUrl: sim.url }, { number: "+55 (11) 98765-4321", text: "oi" });
    expect(sent.messageId).toMatch(/^wamid\./);
    const response = await fetch(`${sim.url}/v23.0/1002/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", to: CONTACT, type: "text", text: { preview_url: false, body: "oi" } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ messaging_product: "whatsapp", contacts: [{ input: CONTACT, wa_id: CONTACT }], messages: [{ id: expect.stringMatching(/^wamid\./) }] });
  });

  it("outside the 24-hour window (131047) it is rejected in plain words that name the template, and nothing is sent", async () => {
    const target = number("1003", { window: false });
    const error = await failure(provider.sendText!(target, message));
    expect(error.kind).toBe("rejected");
    expect(error.message).toContain("24-hour customer-service window");
    expect(error.message).toContain("131047");
    expect(error.message).toContain("approved message template");
    expect(error.message).toContain("Not retried");
    expect(sim.sent("1003")).toEqual([]);
    // A window older than 24 hours is closed too.
    sim.customerWrote("1003", CONTACT, Date.now() - 25 * 3_600_000);
    expect((await failure(provider.sendText!(target, message))).message).toContain("131047");
  });

  it("wrong keys: a token Graph does not know, an expired one (190) and another number's id are misconfigured, never retried", async () => {
    const target = number("1004");
    const unknown = await failure(provider.sendText!({ ...target, apiKey: "EAAG-nobody" }, message));
    expect([unknown.kind, unknown.message]).toEqual(["misconfigured", expect.stringContaining("Graph refused the access token (code 190)")]);
    const other = await failure(provider.sendText!({ ...target, instanceName: "9999" }, message));
    expect(other.kind).toBe("misconfigured");
    expect(other.detail.notFound).toBe(true);
    sim.setScenario("1004", "expired_token");
    const expired = await failure(provider.sendText!(target, message));
    expect(expired.kind).toBe("misconfigured");
    expect(expired.message).toContain("the access token has expired (code 190)");
    expect(expired.message).toContain("a new token must be entered");
    expect(sim.sent("1004")).toEqual([]);
  });

  it("rate limits (130429 throughput, 131056 pair) may pass: provider_down; an undeliverable number (131026) is rejected", async () => {
    const target = number("1005");
    sim.setSendFault("1005", "rate_limited");
    expect(await failure(provider.sendText!(target, message))).toMatchObject({ kind: "provider_down" });
    sim.setSendFault("1005", "pair_rate_limited");
    const pair = await failure(provider.sendText!(target, message));
    expect([pair.kind, pair.message]).toEqual(["provider_down", expect.stringContaining("131056")]);
    sim.setSendFault("1005", "undeliverable");
    const undeliverable = await failure(provider.sendText!(target, message));
    expect([undeliverable.kind, undeliverable.message]).toEqual(["rejected", expect.stringContaining("could not deliver")]);
    sim.setSendFault("1005", null);
    expect((await provider.sendText!(target, message)).messageId).toMatch(/^wamid\./);
  });

  it("a number Graph cannot read is rejected as an invalid parameter (code 100), not as an unknown phone number id", async () => {
    const error = await failure(provider.sendText!(number("1006"), { number: "12", text: "x" }));
    expect(error.kind).toBe("rejected");
    expect(error.detail.notFound).toBeUndefined();
    expect(error.message).toContain("error code 100");
  });

  it("garbage with 200 is invalid_response; 200 with Graph's error body (code 2) is provider_down, not a sent message", async () => {
    const target = number("1007");
    sim.setScenario("1007", "garbage");
    const garbage = await failure(provider.sendText!(target, message));
    expect([garbage.kind, garbage.detail.snippet]).toEqual(["invalid_response", "ok<<not json"]);
    sim.setScenario("1007", "error_200");
    const error200 = await failure(provider.sendText!(target, message));
    expect(error200.kind).toBe("provider_down");
    expect(error200.message).toContain("error code 2");
  });

  it("a 200 without messages[0].id is invalid_response", async () => {
    const fake = async () => new Response(JSON.stringify({ messaging_product: "whatsapp", contacts: [], messages: [] }), { status: 200 });
    const stub = createCloudApiProvider({ timeoutMs: 700, fetch: fake as typeof fetch });
    const error = await failure(stub.sendText!(number("1008"), message));
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toContain("messages");
  });

  it("a Graph that is down — HTML 502 page, reset, hang — is provider_down", async () => {
    const ids = { html_error: "1201", reset: "1202", hang: "1203" } as const;
    for (const scenario of ["html_error", "reset", "hang"] as const) {
      const id = ids[scenario];
      const target = number(id);
      sim.setScenario(id, scenario);
      const started = performance.now();
      const error = await failure(provider.sendText!(target, message));
      expect(error.kind).toBe("provider_down");
      if (scenario === "html_error") expect(error.detail.snippet).toContain("502 Bad Gateway");
      if (scenario === "hang") {
        expect(error.message).toContain("no answer within 700 ms");
        expect(performance.now() - started).toBeLessThan(3000);
      }
      expect(sim.sent(id)).toEqual([]);
    }
  });
});
