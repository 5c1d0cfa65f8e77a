import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startZapiSimulator, type ZapiSimulator } from "./server";

/** The simulator's own contract: Z-API's answers as README.md lists them. */

const CLIENT_TOKEN = "sim-client-token";
let sim: ZapiSimulator;

beforeAll(async () => {
  sim = await startZapiSimulator({ clientToken: CLIENT_TOKEN, restartLatencyMs: 20 });
  sim.addInstance({ id: "I1", token: "T1" });
});
afterAll(async () => {
  await sim.stop();
});

const api = (path: string, init: RequestInit & { clientToken?: string | null } = {}) => {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.clientToken !== null) headers["client-token"] = init.clientToken ?? CLIENT_TOKEN;
  return fetch(`${sim.url}${path}`, { ...init, headers });
};

describe("Z-API's answers", () => {
  it("status: connected, Z-API's words in `error`, smartphoneConnected", async () => {
    const response = await api("/instances/I1/token/T1/status");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ connected: true, error: "You are already connected.", smartphoneConnected: true });
  });

  it("a missing Client-Token is 'null not allowed'; a wrong one names the value; an unknown pair is 'Instance not found'", async () => {
    expect(await (await api("/instances/I1/token/T1/status", { clientToken: null })).json()).toEqual({ error: "null not allowed" });
    expect(await (await api("/instances/I1/token/T1/status", { clientToken: "nope" })).json()).toEqual({ error: "nope not allowed" });
    const unknown = await api("/instances/I1/token/wrong/status");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: "Instance not found" });
  });

  it("webhook URL settings show in /me, and a logout posts the documented DisconnectedCallback with no header of ours", async () => {
    const received: { headers: Record<string, unknown>; body: unknown }[] = [];
    const receiver = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk) => (raw += chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) });
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook/secret`;
    const put = await api("/instances/I1/token/T1/update-webhook-disconnected", { method: "PUT", body: JSON.stringify({ value: url }) });
    expect(await put.json()).toEqual({ value: true });
    expect(await (await api("/instances/I1/token/T1/me")).json()).toMatchObject({ disconnectedCallbackUrl: url, connectedCallbackUrl: "" });
    sim.logOutFromPhone("I1");
    await sim.idle();
    receiver.close();
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toMatchObject({ type: "DisconnectedCallback", disconnected: true, instanceId: "I1", error: "Device has been disconnected" });
    expect(Object.keys(received[0]!.headers).filter((name) => name.startsWith("x-"))).toEqual([]);
    expect(await (await api("/instances/I1/token/T1/status")).json()).toMatchObject({ connected: false, error: "You are not connected." });
  });

  it("restart restores a dropped session; a never-paired one stays unpaired and shows a QR image", async () => {
    sim.addInstance({ id: "I2", token: "T2", scenario: "needs_restore" });
    expect(await (await api("/instances/I2/token/T2/restart")).json()).toEqual({ value: true });
    await expect.poll(() => sim.stats("I2").connected, { timeout: 2000 }).toBe(true);
    sim.addInstance({ id: "I3", token: "T3", scenario: "not_connected" });
    await api("/instances/I3/token/T3/restart");
    expect((await (await api("/instances/I3/token/T3/qr-code/image")).json()) as { value: string }).toMatchObject({ value: expect.stringMatching(/^data:image\/png;base64,/) });
  });

  it("awkward answers: HTML 502, garbage 200, 200 with only an error", async () => {
    sim.addInstance({ id: "I4", token: "T4", scenario: "gateway_down", downMode: "502" });
    const html = await api("/instances/I4/token/T4/status");
    expect([html.status, html.headers.get("content-type")]).toEqual([502, "text/html; charset=utf-8"]);
    sim.setScenario("I4", "malformed_json");
    expect((await api("/instances/I4/token/T4/status")).status).toBe(200);
    sim.setScenario("I4", "error_200");
    expect(await (await api("/instances/I4/token/T4/status")).json()).toEqual({ error: "Something went wrong, please try again later" });
  });
});
