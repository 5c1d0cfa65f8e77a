import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import ptBR from "@/messages/pt-BR.json";
import { describeReason, REASON_KEYS } from "@/lib/format/reason";
import { classifyFailure, classifyReport, holdWhileAwaitingScan, type Observation } from "@/lib/monitor/classify-state";
import { ProviderError, type ProviderErrorKind } from "@/lib/providers/types";

/** Every verdict the monitor can store as a reason, as classify-state produces it. */
function everyObservation(): Observation[] {
  const codes = [undefined, 401, 402, 403, 406, 408, 411, 428, 440, 500, 503, 515, 999];
  const reports = codes.map((reasonCode) => classifyReport({ state: "close", reasonCode, latencyMs: 5 }));
  reports.push(classifyReport({ state: "refused", latencyMs: 5 }));
  reports.push(classifyReport({ state: "close", neverPaired: true, latencyMs: 5 }));
  reports.push(classifyReport({ state: "connecting", awaitingScan: true, latencyMs: 5 }));
  reports.push(classifyReport({ state: "close", closedOnGateway: "stopped", latencyMs: 5 }));
  reports.push(classifyReport({ state: "close", closedOnGateway: "failed", latencyMs: 5 }));
  reports.push(holdWhileAwaitingScan("needs_qr", classifyReport({ state: "connecting", latencyMs: 5 })));
  const errors: [ProviderErrorKind, number | undefined][] = [
    ["misconfigured", 401], ["misconfigured", 404], ["invalid_response", 200], ["rejected", 400],
  ];
  errors.push(["provider_down", 503], ["provider_down", undefined]);
  const failures = errors.map(([kind, status]) => classifyFailure(new ProviderError(kind, `${kind} happened`, { status })));
  failures.push(classifyFailure(new Error("boom")));
  for (const reason of ["loopback", "private", "link-local", "metadata", "reserved", "redirect"]) {
    failures.push(classifyFailure(new ProviderError("misconfigured", "refused", { refused: { reason, address: "10.0.0.5" } })));
  }
  // check-channel.ts's targetOf, before any gateway call.
  failures.push({ state: "misconfigured", reason: "no API key for this gateway: enter it again" });
  failures.push({ state: "misconfigured", reason: "stored API key cannot be decrypted" });
  return [...reports, ...failures];
}

describe("describeReason", () => {
  it("has a translated message for every reason the monitor stores", () => {
    for (const observation of everyObservation()) {
      const message = describeReason(observation.state, observation.reason);
      expect({ reason: observation.reason, message }).toEqual({ reason: observation.reason, message: expect.objectContaining({ key: expect.any(String) }) });
      expect({ reason: observation.reason, key: message && "key" in message && message.key }).not.toEqual({ reason: observation.reason, key: "unexplained" });
    }
  });

  it("keeps the code of an unlisted close reason", () => {
    const observation = classifyReport({ state: "close", reasonCode: 999, latencyMs: 5 });
    expect(describeReason(observation.state, observation.reason)).toEqual({ key: "closedCode", values: { code: 999 } });
  });

  it("stores a transport failure as plain words and keeps the transport's own in the check's detail", () => {
    const observation = classifyFailure(new ProviderError("provider_down", "getState: gateway unreachable: ECONNREFUSED"));
    expect(observation.reason).toBe("gateway is not answering");
    expect(observation.detail).toContain("ECONNREFUSED");
    expect(describeReason(observation.state, observation.reason)).toEqual({ key: "gatewayUnreachable" });
    // Older rows stored the transport's words as the reason: still explained, the words kept as detail.
    expect(describeReason("provider_down", "getState: timed out after 10000 ms")).toEqual({
      key: "gatewayUnreachable",
      detail: "getState: timed out after 10000 ms",
    });
  });

  it("says nothing beside a healthy state, and never shows an unknown text as it is", () => {
    expect(describeReason("connected", "open")).toBeNull();
    expect(describeReason("connecting", "connecting")).toBeNull();
    expect(describeReason("disconnected", null)).toBeNull();
    expect(describeReason("paused", "monitoring paused by an admin")).toEqual({ key: "pausedByAdmin" });
    // A gateway's own words or an older row's: a plain sentence for the state, the words kept for admins.
    expect(describeReason("paused", "paused by Ana")).toEqual({ key: "unexplained", values: { state: "paused" }, detail: "paused by Ana" });
    const raw = "getState: gateway answered HTTP 200 with an error: [object Object]";
    expect(describeReason("misconfigured", raw)).toEqual({ key: "unexplained", values: { state: "misconfigured" }, detail: raw });
  });

  it("finds every key in both languages", () => {
    for (const [name, messages] of [["pt-BR", ptBR], ["en", en]] as const) {
      const reasons = (messages as { reasons?: Record<string, string> }).reasons ?? {};
      for (const key of REASON_KEYS) expect({ name, key, text: typeof reasons[key] }).toEqual({ name, key, text: "string" });
    }
  });
});

describe("outbound refusals (issue 9.2)", () => {
  it("name the address and the range, in words a select can translate", () => {
    const observation = classifyFailure(new ProviderError("misconfigured", "x", { refused: { reason: "link-local", address: "fe80::1" } }));
    expect(describeReason(observation.state, observation.reason)).toEqual({ key: "addressRefused", values: { address: "fe80::1", range: "linkLocal" } });
  });
});
