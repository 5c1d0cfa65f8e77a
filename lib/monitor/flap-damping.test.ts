import { describe, expect, it } from "vitest";
import type { Observation } from "@/lib/monitor/classify-state";
import { applyObservation } from "@/lib/monitor/flap-damping";
import type { ChannelStatusRow } from "@/lib/monitor/types";

const T0 = new Date("2026-03-01T12:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function status(overrides: Partial<ChannelStatusRow> = {}): ChannelStatusRow {
  return {
    state: "connected", reason: "open", since: T0, lastCheckedAt: T0, pendingState: null, pendingReason: null,
    pendingSince: null, reconnectAttempt: 0, nextReconnectAt: null, recentReconnects: [], qrRequestedAt: null,
    lastCheckRecordedAt: null, accountedUntil: T0, ...overrides,
  };
}
const seen = (state: Observation["state"], reason: string = state): Observation => ({ state, reason });

describe("applyObservation", () => {
  it("holds a first down observation as pending, without a transition", () => {
    const result = applyObservation(status(), seen("disconnected"), at(30));
    expect(result.state).toBe("connected");
    expect(result.pendingState).toBe("disconnected");
    expect(result.transition).toBeUndefined();
  });

  it("confirms down on the second consecutive check, dated from the first", () => {
    const first = applyObservation(status(), seen("disconnected"), at(30));
    const second = applyObservation(status({ ...first }), seen("disconnected"), at(60));
    expect(second.state).toBe("disconnected");
    expect(second.since).toEqual(at(30));
    expect(second.transition).toEqual({ from: "connected", to: "disconnected", reason: "disconnected", at: at(30) });
  });

  it("forgets a one-check blip", () => {
    const first = applyObservation(status(), seen("provider_down"), at(30));
    const back = applyObservation(status({ ...first }), seen("connected", "open"), at(60));
    expect(back.state).toBe("connected");
    expect(back.pendingState).toBeNull();
    expect(back.transition).toBeUndefined();
  });

  it("counts recovery at once", () => {
    const result = applyObservation(status({ state: "disconnected" }), seen("connected"), at(30));
    expect(result.transition?.to).toBe("connected");
    expect(result.since).toEqual(at(30));
  });

  it("takes the first verdict on a never-checked channel at once", () => {
    expect(applyObservation(status({ state: "unknown" }), seen("needs_qr"), at(1)).state).toBe("needs_qr");
  });

  it("moves between not-connected states at once", () => {
    const result = applyObservation(status({ state: "disconnected" }), seen("needs_qr"), at(30));
    expect(result.transition).toMatchObject({ from: "disconnected", to: "needs_qr" });
  });

  it("keeps a needs_qr line needs_qr while the gateway only says connecting (it shows QR codes)", () => {
    const result = applyObservation(status({ state: "needs_qr", reason: "logged out (device unlinked)" }), seen("connecting"), at(30));
    expect(result.state).toBe("needs_qr");
    expect(result.transition).toBeUndefined();
    const scanned = applyObservation(status({ state: "needs_qr" }), seen("connected", "open"), at(60));
    expect(scanned.transition).toMatchObject({ from: "needs_qr", to: "connected" });
  });
});
