import { describe, expect, it } from "vitest";
import { isNewerEvent, stateReportOf } from "@/lib/webhooks/apply-webhook-event";

const at = new Date("2026-03-01T12:00:00.000Z");
const status = {
  state: "connected" as const, since: at, accountedUntil: null, lastEventAt: null,
  lastEventOccurredAt: at, lastEventKey: "b",
};

describe("stateReportOf", () => {
  it("reads connection, status and logout events as the gateway's state", () => {
    expect(stateReportOf({ kind: "connection", instance: "x", state: "close", reasonCode: 428, occurredAt: at, dedupeKey: "k" }))
      .toEqual({ state: "close", reasonCode: 428, latencyMs: 0 });
    expect(stateReportOf({ kind: "status", instance: "x", status: "closed", reasonCode: 401, occurredAt: at, dedupeKey: "k" }))
      .toEqual({ state: "close", reasonCode: 401, latencyMs: 0 });
    expect(stateReportOf({ kind: "status", instance: "x", status: "removed", occurredAt: at, dedupeKey: "k" })).toBeNull();
    expect(stateReportOf({ kind: "logout", instance: "x", occurredAt: at, dedupeKey: "k" })).toEqual({ state: "close", reasonCode: 401, latencyMs: 0 });
  });
});

describe("isNewerEvent", () => {
  it("orders by the gateway's time, then by dedupe key; the same event is never newer than itself", () => {
    expect(isNewerEvent({ occurredAt: new Date(at.getTime() + 1), dedupeKey: "a" }, status)).toBe(true);
    expect(isNewerEvent({ occurredAt: new Date(at.getTime() - 1), dedupeKey: "z" }, status)).toBe(false);
    expect(isNewerEvent({ occurredAt: at, dedupeKey: "c" }, status)).toBe(true);
    expect(isNewerEvent({ occurredAt: at, dedupeKey: "b" }, status)).toBe(false);
    expect(isNewerEvent({ occurredAt: at, dedupeKey: "a" }, { ...status, lastEventOccurredAt: null, lastEventKey: null })).toBe(true);
  });
});
