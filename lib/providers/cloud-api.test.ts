import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudApiSimulator, type CloudApiSimulator, type Scenario } from "@/dev/cloud-api-simulator/server";
import { classifyFailure, classifyReport } from "@/lib/monitor/classify-state";
import { createCloudApiProvider, reportOfPhoneNumber, versionedBase } from "@/lib/providers/cloud-api";
import { ProviderError, type ChannelTarget } from "@/lib/providers/types";

/** The Cloud API adapter against its simulator: Meta's words in Sentinela's states (the shared suite covers the rest). */

let sim: CloudApiSimulator;
const provider = createCloudApiProvider({ timeoutMs: 1000 });

beforeAll(async () => {
  sim = await startCloudApiSimulator();
});
afterAll(async () => {
  await sim.stop();
});

function number(id: string, scenario: Scenario): ChannelTarget {
  const token = `${id}-token-EAAG-secret`;
  sim.addNumber({ id, token, scenario });
  return { baseUrl: sim.url, instanceName: id, apiKey: token, wabaId: "300000000000003" };
}

async function failure(target: ChannelTarget): Promise<ProviderError> {
  const error = await provider.getState(target).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("the Cloud API adapter", () => {
  it("AVAILABLE on a CONNECTED number with quality GREEN is connected", async () => {
    const report = await provider.getState(number("p-ok", "healthy"));
    expect(classifyReport(report)).toMatchObject({ state: "connected", gatewayState: "AVAILABLE · CONNECTED · quality GREEN · TIER_1K" });
  });

  it("BLOCKED is blocked with Meta's own words as the reason", async () => {
    const observation = classifyReport(await provider.getState(number("p-blocked", "blocked")));
    expect(observation.state).toBe("blocked");
    expect(observation.reason).toContain("restricted due to policy violations");
    expect(observation.reason).toContain("WhatsApp Manager");
  });

  it("LIMITED and quality RED are restricted; a number not CONNECTED cannot send", async () => {
    expect(classifyReport(await provider.getState(number("p-limited", "limited")))).toMatchObject({ state: "restricted", reason: expect.stringContaining("payment method") });
    expect(classifyReport(await provider.getState(number("p-red", "quality_red")))).toMatchObject({ state: "restricted", reason: "quality rating RED" });
    expect(classifyReport(await provider.getState(number("p-off", "number_disconnected")))).toMatchObject({ state: "blocked", reason: "phone number status DISCONNECTED" });
  });

  it("an expired token (190/463) is misconfigured and says so, without the token", async () => {
    const target = number("p-expired", "expired_token");
    const error = await failure(target);
    expect(error.kind).toBe("misconfigured");
    expect(error.detail.status).toBe(401);
    expect(error.message).toContain("expired");
    expect(`${error.message} ${error.detail.snippet}`).not.toContain(target.apiKey);
    expect(classifyFailure(error)).toMatchObject({ state: "misconfigured", reason: "gateway rejected the API key" });
  });

  it("an id Graph does not know (100, HTTP 400) is misconfigured as an unknown instance", async () => {
    const target = number("p-known", "healthy");
    const error = await failure({ ...target, instanceName: "999999" });
    expect(error).toMatchObject({ kind: "misconfigured", detail: { status: 400, notFound: true } });
    expect(classifyFailure(error).reason).toBe("instance not found on the gateway");
  });

  it("a 200 whose body is a Graph error is never read as health: its code decides", async () => {
    const error = await failure(number("p-200", "error_200"));
    expect(error).toMatchObject({ kind: "rejected", detail: { status: 200 } });
    expect(classifyFailure(error).state).toBe("provider_down");
  });

  it("an answer without health_status, or a can_send_message it does not know, is unreadable", () => {
    expect(() => reportOfPhoneNumber({ health_status: { can_send_message: "MAYBE", entities: [] } })).toThrow(ProviderError);
    expect(reportOfPhoneNumber({ health_status: { can_send_message: "AVAILABLE", entities: [] }, status: "FLAGGED" }).sending?.verdict).toBe("restricted");
  });

  it("takes Graph's base with its version (DESIGN.md) or a bare origin, to which it adds v23.0", async () => {
    expect(versionedBase("https://graph.facebook.com/v23.0/")).toBe("https://graph.facebook.com/v23.0");
    expect(versionedBase("https://graph.facebook.com")).toBe("https://graph.facebook.com/v23.0");
    const target = number("p-versioned", "healthy");
    expect(classifyReport(await provider.getState({ ...target, baseUrl: `${sim.url}/v23.0` })).state).toBe("connected");
  });

  it("sends the token as a Bearer header and nothing else: a wrong one is code 190", async () => {
    const target = number("p-bearer", "healthy");
    const error = await failure({ ...target, apiKey: "EAAG-not-valid" });
    expect(error).toMatchObject({ kind: "misconfigured", detail: { status: 401 } });
    expect(error.message).not.toContain("EAAG-not-valid");
  });
});
