import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudApiSimulator, type CloudApiSimulator } from "./server";
import { SIMULATED_APP } from "./subscriptions";

/** The simulator's subscribed_apps edge: state per WhatsApp Business Account and Graph's errors (subscriptions.ts). */

let sim: CloudApiSimulator;
beforeAll(async () => {
  sim = await startCloudApiSimulator();
  sim.addNumber({ id: "111", token: "T1", wabaId: "5001" });
  sim.addNumber({ id: "222", token: "T2", wabaId: "5002" });
});
afterAll(async () => {
  await sim.stop();
});

const edge = (wabaId: string, method: "GET" | "POST" = "GET", token: string | null = "T1") =>
  fetch(`${sim.url}/v23.0/${wabaId}/subscribed_apps`, { method, headers: token === null ? {} : { authorization: `Bearer ${token}` } });

describe("subscribed_apps", () => {
  it("a new account has the simulated app subscribed, in Graph's shape", async () => {
    const response = await edge("5001");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: [{ whatsapp_business_api_data: SIMULATED_APP }] });
  });

  it("POST subscribes the token's app once, keeping the others, and answers success", async () => {
    const platform = { id: "900", name: "Plataforma", link: "https://platform.example/" };
    sim.subscriptions.setApps("5001", [platform]);
    for (let i = 0; i < 2; i++) {
      const response = await edge("5001", "POST");
      expect([response.status, await response.json()]).toEqual([200, { success: true }]);
    }
    expect(sim.subscriptions.state("5001")).toMatchObject({ apps: [platform, SIMULATED_APP], subscribes: 2 });
    expect(await (await edge("5001")).json()).toEqual({
      data: [{ whatsapp_business_api_data: platform }, { whatsapp_business_api_data: SIMULATED_APP }],
    });
  });

  it("an account the token cannot read is 100, an unknown token 190, a missing one 2500", async () => {
    const other = await edge("5002");
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { code: 100, error_subcode: 33 } });
    const unknown = await edge("5001", "GET", "nope");
    expect([unknown.status, (await unknown.json()).error.code]).toEqual([401, 190]);
    const missing = await edge("5001", "GET", null);
    expect((await missing.json()).error.code).toBe(2500);
    expect(sim.subscriptions.state("5002").calls).toBe(0);
  });

  it("account scenarios: an expired token (190/463) and a missing permission (200, HTTP 403), on GET and POST", async () => {
    sim.subscriptions.setScenario("5002", "expired_token");
    expect(await (await edge("5002", "GET", "T2")).json()).toMatchObject({ error: { code: 190, error_subcode: 463 } });
    sim.subscriptions.setScenario("5002", "no_permission");
    const denied = await edge("5002", "POST", "T2");
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { code: 200, message: "(#200) Permissions error" } });
    expect(sim.subscriptions.state("5002")).toMatchObject({ calls: 2, subscribes: 0 });
    // read_only: the list is read, a subscription refused.
    sim.subscriptions.setScenario("5002", "read_only");
    expect((await edge("5002", "GET", "T2")).status).toBe(200);
    expect((await edge("5002", "POST", "T2")).status).toBe(403);
    sim.subscriptions.setScenario("5002", "healthy");
  });
});
