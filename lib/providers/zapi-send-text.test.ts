import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startZapiSimulator, type ZapiSimulator } from "@/dev/zapi-simulator/server";
import { ProviderError, type ChannelTarget } from "@/lib/providers/types";
import { createZapiProvider } from "@/lib/providers/zapi";

/**
 * sendText through Z-API (`POST /instances/{id}/token/{token}/send-text`, `Client-Token`), against its
 * simulator: what Evolution's sender is held to (evolution-send-text.test.ts), plus the hidden cases
 * every adapter has — garbage, a hang, an HTML error page, wrong keys, a 200 that carries an error.
 */

const CLIENT_TOKEN = "send-text-account-token";
let sim: ZapiSimulator;
const provider = createZapiProvider({ timeoutMs: 700 });

beforeAll(async () => {
  sim = await startZapiSimulator({ clientToken: CLIENT_TOKEN, restartLatencyMs: 20 });
});
afterAll(async () => {
  await sim.stop();
});

function instance(id: string, spec: Partial<Parameters<ZapiSimulator["addInstance"]>[0]> = {}): ChannelTarget {
  const token = `${id}-instance-token`;
  sim.addInstance({ id, token, ...spec });
  return { baseUrl: sim.url, instanceName: id, apiKey: token, clientToken: CLIENT_TOKEN };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const message = { number: "5511987654321", text: "Linha X precisa de QR" };

describe("sendText (Z-API POST …/send-text)", () => {
  it("a connected instance sends: WhatsApp's message id comes back and the simulator records phone and text", async () => {
    const target = instance("zs-open");
    const sent = await provider.sendText(target, message);
    expect(sent.messageId).toMatch(/^[0-9A-F]{20}$/);
    expect(sent.status).toBeNull();
    const [recorded] = sim.stats("zs-open").sent;
    expect(sim.stats("zs-open").sent).toHaveLength(1);
    expect(recorded).toMatchObject({ messageId: sent.messageId, phone: "5511987654321", message: "Linha X precisa de QR" });
    expect(recorded.zaapId).toMatch(/^[0-9A-F]{32}$/);
  });

  it("the real answer's shape: 200 {zaapId, messageId, id}, id repeating messageId", async () => {
    const target = instance("zs-shape");
    const response = await fetch(`${sim.url}/instances/zs-shape/token/${target.apiKey}/send-text`, {
      method: "POST",
      headers: { "client-token": CLIENT_TOKEN, "content-type": "application/json" },
      body: JSON.stringify({ phone: "5511912345678", message: "oi" }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { zaapId: string; messageId: string; id: string };
    expect(Object.keys(body).sort()).toEqual(["id", "messageId", "zaapId"]);
    expect(body.id).toBe(body.messageId);
  });

  it("a session to restore or never paired is refused in Z-API's words, and nothing is recorded", async () => {
    for (const scenario of ["needs_restore", "not_connected"] as const) {
      const target = instance(`zs-${scenario}`, { scenario });
      const error = await failure(provider.sendText(target, message));
      expect(error.kind).toBe("rejected");
      expect(error.message).toMatch(scenario === "needs_restore" ? /restore the session/ : /You are not connected/);
      expect(sim.stats(`zs-${scenario}`).sent).toEqual([]);
    }
  });

  it("a phone Z-API will not take is rejected, not retried as if the gateway were down", async () => {
    const error = await failure(provider.sendText(instance("zs-bad-phone"), { number: "123", text: "x" }));
    expect(error.kind).toBe("rejected");
    expect(error.message).toContain("phone is required");
  });

  it("wrong keys: a refused Client-Token or instance token is misconfigured and says which; the token never shows", async () => {
    const target = instance("zs-keys");
    const client = await failure(provider.sendText({ ...target, clientToken: "not-the-account-token" }, message));
    expect([client.kind, client.message]).toEqual(["misconfigured", "sendText: Z-API refused the client token (Client-Token)"]);
    const wrong = await failure(provider.sendText({ ...target, apiKey: "wrong-instance-token" }, message));
    expect(wrong.kind).toBe("misconfigured");
    expect(wrong.message).toContain("does not know this instance id and token");
    expect(JSON.stringify({ message: wrong.message, detail: wrong.detail })).not.toContain("wrong-instance-token");
    expect(sim.stats("zs-keys").sent).toEqual([]);
  });

  it("garbage with 200 is invalid_response with the raw start kept; a 200 that only carries an error is rejected", async () => {
    const garbage = await failure(provider.sendText(instance("zs-garbage", { scenario: "malformed_json" }), message));
    expect(garbage.kind).toBe("invalid_response");
    expect(garbage.detail.snippet).toContain("<!doctype html>");
    const error200 = await failure(provider.sendText(instance("zs-error-200", { scenario: "error_200" }), message));
    expect(error200.kind).toBe("rejected");
    expect(error200.message).toContain("Something went wrong");
  });

  it("a 200 without the ids (another route's answer) is invalid_response, never a sent message", async () => {
    const fake = async () => new Response(JSON.stringify({ value: true }), { status: 200, headers: { "content-type": "application/json" } });
    const stub = createZapiProvider({ timeoutMs: 700, fetch: fake as typeof fetch });
    const error = await failure(stub.sendText(instance("zs-no-ids"), message));
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toContain("zaapId");
  });

  it("a gateway that is down — HTML 502 page, reset, hang — is provider_down (may pass: retried)", async () => {
    for (const downMode of ["502", "reset", "hang"] as const) {
      const target = instance(`zs-down-${downMode}`, { scenario: "gateway_down", downMode });
      const started = performance.now();
      const error = await failure(provider.sendText(target, message));
      expect(error.kind).toBe("provider_down");
      if (downMode === "502") expect(error.detail.snippet).toContain("502 Bad Gateway");
      if (downMode === "hang") {
        expect(error.message).toContain("no answer within 700 ms");
        expect(performance.now() - started).toBeLessThan(3000);
      }
    }
  });
});
