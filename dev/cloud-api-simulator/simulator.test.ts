import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudApiSimulator, type CloudApiSimulator } from "./server";

/** The simulator's own contract: Graph's phone number node and errors as server.ts describes them. */

let sim: CloudApiSimulator;
beforeAll(async () => {
  sim = await startCloudApiSimulator();
  sim.addNumber({ id: "111", token: "T1" });
});
afterAll(async () => {
  await sim.stop();
});

const get = (path: string, token: string | null = "T1") =>
  fetch(`${sim.url}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

describe("Graph's answers", () => {
  it("answers only the fields asked, with the id", async () => {
    const response = await get("/v23.0/111?fields=status,quality_rating");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "CONNECTED", quality_rating: "GREEN", id: "111" });
  });

  it("health_status lists the phone number, WABA, business and app", async () => {
    const body = (await (await get("/v23.0/111?fields=health_status")).json()) as { health_status: { can_send_message: string; entities: { entity_type: string }[] } };
    expect(body.health_status.can_send_message).toBe("AVAILABLE");
    expect(body.health_status.entities.map((e) => e.entity_type)).toEqual(["PHONE_NUMBER", "WABA", "BUSINESS", "APP"]);
  });

  it("a token it does not know is 401 with code 190; an unknown id 400 with code 100", async () => {
    const bad = await get("/v23.0/111?fields=status", "nope");
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { type: "OAuthException", code: 190 } });
    const unknown = await get("/v23.0/222?fields=status");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 100, error_subcode: 33 } });
  });

  it("an expired token is 190 with subcode 463; the awkward answers are what they say", async () => {
    sim.setScenario("111", "expired_token");
    expect(await (await get("/v23.0/111?fields=status")).json()).toMatchObject({ error: { code: 190, error_subcode: 463 } });
    sim.setScenario("111", "html_error");
    const html = await get("/v23.0/111?fields=status");
    expect([html.status, html.headers.get("content-type")]).toEqual([502, "text/html"]);
    sim.setScenario("111", "error_200");
    const e200 = await get("/v23.0/111?fields=status");
    expect(e200.status).toBe(200);
    expect(await e200.json()).toMatchObject({ error: { code: 2 } });
    sim.setScenario("111", "healthy");
  });
});
