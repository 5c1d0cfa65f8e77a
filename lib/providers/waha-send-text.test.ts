import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWahaSimulator, type WahaSimulator } from "@/dev/waha-simulator/server";
import { ProviderError, type ChannelTarget } from "@/lib/providers/types";
import { createWahaProvider } from "@/lib/providers/waha";
import { sentMessageIdOf } from "@/lib/providers/waha-schemas";

/**
 * sendText through WAHA (`POST /api/sendText` `{session, chatId: "<digits>@c.us", text}`, X-Api-Key),
 * against its simulator: what Evolution's sender is held to (evolution-send-text.test.ts), each engine's
 * own answer (WEBJS, NOWEB, GOWS: success is a 2xx with a JSON object), and the hidden cases every
 * adapter has — garbage, a hang, an HTML error page, wrong keys, a 200 that carries an error.
 */

const API_KEY = "waha-send-text-key";
let sim: WahaSimulator;
const provider = createWahaProvider({ timeoutMs: 700 });
const message = { number: "5511987654321", text: "Linha X precisa de QR" };

beforeAll(async () => {
  sim = await startWahaSimulator({ apiKey: API_KEY, startLatencyMs: 10, qrWaitMs: 50 });
});
afterAll(async () => {
  await sim.stop();
});

function session(name: string, spec: Partial<Parameters<WahaSimulator["addSession"]>[0]> = {}): ChannelTarget {
  sim.addSession({ name, ...spec });
  return { baseUrl: sim.url, instanceName: name, apiKey: API_KEY };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("sendText (WAHA POST /api/sendText)", () => {
  it.each(["WEBJS", "NOWEB", "GOWS"] as const)("a WORKING %s session sends: its message id is read where the engine puts it, and the simulator records it", async (engine) => {
    const name = `ws-${engine.toLowerCase()}`;
    const target = session(name, { engine });
    const sent = await provider.sendText(target, message);
    const [recorded] = sim.stats(name).sent;
    expect(sim.stats(name).sent).toHaveLength(1);
    expect(recorded).toMatchObject({ chatId: "5511987654321@c.us", text: "Linha X precisa de QR" });
    expect(sent.messageId).toContain(recorded.id);
    expect(sent.status).toBe(engine === "NOWEB" ? "PENDING" : null);
  });

  it("the answers differ per engine, and an answer naming no id is still a send (id null)", async () => {
    const post = async (name: string) => {
      const response = await fetch(`${sim.url}/api/sendText`, {
        method: "POST",
        headers: { "x-api-key": API_KEY, "content-type": "application/json" },
        body: JSON.stringify({ session: name, chatId: "5511912345678@c.us", text: "oi" }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const webjs = await post("ws-webjs");
    const noweb = await post("ws-noweb");
    const gows = await post("ws-gows");
    expect([webjs.status, noweb.status, gows.status]).toEqual([201, 201, 201]);
    expect(webjs.body.id).toMatchObject({ fromMe: true, _serialized: expect.stringMatching(/^true_5511912345678@c\.us_/) });
    expect(noweb.body.key).toMatchObject({ remoteJid: "5511912345678@s.whatsapp.net", fromMe: true });
    expect(typeof gows.body.id).toBe("string");
    expect(sentMessageIdOf({ ack: 1, body: "oi" })).toBeNull();
  });

  it("a session that is not WORKING is refused (422) in WAHA's words; one not running (404) is misconfigured; nothing is recorded", async () => {
    const failed = await failure(provider.sendText(session("ws-failed", { scenario: "failed" }), message));
    expect(failed.kind).toBe("rejected");
    expect(failed.message).toContain("Session status is not as expected");
    const stopped = await failure(provider.sendText(session("ws-stopped", { scenario: "stopped" }), message));
    expect(stopped.kind).toBe("misconfigured");
    expect(stopped.message).toContain("We didn't find a session with name 'ws-stopped'");
    expect(sim.stats("ws-failed").sent).toEqual([]);
    expect(sim.stats("ws-stopped").sent).toEqual([]);
  });

  it("a wrong X-Api-Key is misconfigured", async () => {
    const target = session("ws-key");
    const error = await failure(provider.sendText({ ...target, apiKey: "not-the-key" }, message));
    expect([error.kind, error.detail.status]).toEqual(["misconfigured", 401]);
    expect(sim.stats("ws-key").sent).toEqual([]);
  });

  it("garbage with 200 is invalid_response; a 200 carrying {error: true} is rejected; a 2xx that is not an object is invalid_response", async () => {
    const garbage = await failure(provider.sendText(session("ws-garbage", { scenario: "malformed_json" }), message));
    expect(garbage.kind).toBe("invalid_response");
    const error200 = await failure(provider.sendText(session("ws-error-200", { scenario: "error_200" }), message));
    expect(error200.kind).toBe("rejected");
    expect(error200.message).toContain("upstream WAHA request failed");
    for (const answer of ["[]", "null", "\"sent\""]) {
      const fake = async () => new Response(answer, { status: 201 });
      const stub = createWahaProvider({ timeoutMs: 700, fetch: fake as typeof fetch });
      expect((await failure(stub.sendText(session("ws-stub"), message))).kind).toBe("invalid_response");
    }
  });

  it("a WAHA that is down — HTML 502 page, 500 with the serialized exception, reset, hang — is provider_down", async () => {
    for (const downMode of ["502", "500", "reset", "hang"] as const) {
      const name = `ws-down-${downMode}`;
      const started = performance.now();
      const error = await failure(provider.sendText(session(name, { scenario: "gateway_down", downMode }), message));
      expect(error.kind).toBe("provider_down");
      if (downMode === "502") expect(error.detail.snippet).toContain("502 Bad Gateway");
      if (downMode === "hang") {
        expect(error.message).toContain("no answer within 700 ms");
        expect(performance.now() - started).toBeLessThan(3000);
      }
      expect(sim.stats(name).sent).toEqual([]);
    }
  });
});
