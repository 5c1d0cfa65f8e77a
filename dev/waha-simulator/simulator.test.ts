import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWahaSimulator, type WahaSimulator } from "./server";

/** The simulator's own contract: WAHA's answers and quirks as README.md lists them. */

const KEY = "sim-key-1";
let sim: WahaSimulator;

beforeAll(async () => {
  sim = await startWahaSimulator({ apiKey: KEY, startLatencyMs: 30, qrWaitMs: 60 });
});
afterAll(async () => {
  await sim.stop();
});

const api = (path: string, init: RequestInit & { key?: string } = {}) =>
  fetch(`${sim.url}${path}`, { ...init, headers: { "x-api-key": init.key ?? KEY, "content-type": "application/json", ...init.headers } });

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("WAHA's answers", () => {
  it("checks X-Api-Key before anything: 401 even for a session that does not exist", async () => {
    const response = await api("/api/sessions/nobody", { key: "wrong" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: "Unauthorized", statusCode: 401 });
  });

  it("an unknown session is Nest's 404", async () => {
    const response = await api("/api/sessions/nobody");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ statusCode: 404, message: "Session not found", error: "Not Found" });
  });

  it("POST routes answer 201 with the SessionDTO; a restart goes STARTING, then WORKING with credentials", async () => {
    sim.addSession({ name: "s-restart", scenario: "failed" });
    const response = await api("/api/sessions/s-restart/restart", { method: "POST" });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ name: "s-restart", status: "STARTING" });
    await until(() => sim.stats("s-restart").status === "WORKING");
  });

  it("the list leaves stopped sessions out unless ?all=true", async () => {
    sim.addSession({ name: "s-listed-stopped", scenario: "stopped" });
    const some = (await (await api("/api/sessions")).json()) as { name: string }[];
    const all = (await (await api("/api/sessions?all=true")).json()) as { name: string }[];
    expect(some.map((s) => s.name)).not.toContain("s-listed-stopped");
    expect(all.map((s) => s.name)).toContain("s-listed-stopped");
  });

  it("PUT validates the webhooks (event names, URLs) and answers 400 like class-validator", async () => {
    sim.addSession({ name: "s-put", scenario: "healthy" });
    const response = await api("/api/sessions/s-put", {
      method: "PUT", body: JSON.stringify({ config: { webhooks: [{ url: "not a url", events: ["CONNECTION_UPDATE"] }] } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string[] };
    expect(body.message.join(" ")).toMatch(/url must be a URL address.*events each value/);
  });
});

describe("server restarts", () => {
  it("WAHA Core restarts with every session STOPPED and their webhooks forgotten; Plus starts them with their config", async () => {
    sim.addSession({ name: "s-core", scenario: "healthy", config: { webhooks: [{ url: "http://127.0.0.1:9/x", events: ["message"] }] } });
    sim.restartServer("core");
    expect(sim.stats("s-core")).toMatchObject({ status: "STOPPED", config: {} });

    sim.addSession({ name: "s-plus", scenario: "healthy", config: { metadata: { a: "1" } } });
    sim.restartServer("plus");
    await until(() => sim.stats("s-plus").status === "WORKING");
    expect(sim.stats("s-plus").config).toEqual({ metadata: { a: "1" } });
  });
});

describe("control API", () => {
  it("arranges sessions and pairs a QR code; pairing with none showing is a 409", async () => {
    const created = await fetch(`${sim.url}/__control/sessions`, { method: "POST", body: JSON.stringify({ name: "c-1", scenario: "needs_qr" }) });
    expect(created.status).toBe(200);
    expect((await fetch(`${sim.url}/__control/sessions/c-1/pair`, { method: "POST" })).status).toBe(200);
    expect(sim.stats("c-1").status).toBe("WORKING");
    expect((await fetch(`${sim.url}/__control/sessions/c-1/pair`, { method: "POST" })).status).toBe(409);
    const bad = await fetch(`${sim.url}/__control/sessions`, { method: "POST", body: JSON.stringify({ name: "c-2", scenario: "sleeping" }) });
    expect(bad.status).toBe(400);
  });
});
