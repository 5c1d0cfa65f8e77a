import { describe, expect, it } from "vitest";
import { decideReconnect, recordAttempt, type ReconnectState } from "@/lib/monitor/reconnect-policy";

const NOW = new Date("2026-03-01T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function state(overrides: Partial<ReconnectState> = {}): ReconnectState {
  return {
    state: "disconnected", since: minutesAgo(5), reconnectAttempt: 0, nextReconnectAt: null,
    recentReconnects: [], qrRequestedAt: null, ...overrides,
  };
}

describe("decideReconnect", () => {
  it("reconnects a confirmed disconnected channel", () => {
    expect(decideReconnect(state(), NOW)).toEqual({ act: true });
  });

  it.each(["needs_qr", "replaced", "misconfigured"] as const)("never reconnects %s", (s) => {
    expect(decideReconnect(state({ state: s }), NOW)).toEqual({ act: false, why: "needs_a_person" });
  });

  it.each(["connected", "provider_down", "paused", "unknown"] as const)("has nothing to do for %s", (s) => {
    expect(decideReconnect(state({ state: s }), NOW).act).toBe(false);
  });

  it("leaves connecting alone for a while, then restarts", () => {
    expect(decideReconnect(state({ state: "connecting", since: minutesAgo(1) }), NOW)).toEqual({ act: false, why: "waiting" });
    expect(decideReconnect(state({ state: "connecting", since: minutesAgo(4) }), NOW)).toEqual({ act: true });
  });

  it("never restarts while a QR pairing requested in the last 3 minutes may be in progress", () => {
    const pairing = state({ state: "connecting", since: minutesAgo(10), qrRequestedAt: minutesAgo(2) });
    expect(decideReconnect(pairing, NOW)).toEqual({ act: false, why: "qr_pairing" });
    expect(decideReconnect({ ...pairing, qrRequestedAt: minutesAgo(4) }, NOW)).toEqual({ act: true });
  });

  it("waits out the backoff", () => {
    expect(decideReconnect(state({ nextReconnectAt: new Date(NOW.getTime() + 1000) }), NOW)).toEqual({ act: false, why: "backoff" });
  });

  it("caps automatic attempts at 6 in any hour", () => {
    const six = [1, 5, 10, 20, 40, 59].map(minutesAgo);
    expect(decideReconnect(state({ recentReconnects: six }), NOW)).toEqual({ act: false, why: "hourly_cap" });
    const oneAged = [1, 5, 10, 20, 40, 61].map(minutesAgo);
    expect(decideReconnect(state({ recentReconnects: oneAged }), NOW)).toEqual({ act: true });
  });
});

describe("recordAttempt", () => {
  it("backs off about 1, 2, 4, 8, 16, then 30 minutes", () => {
    let s = state();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const next = recordAttempt(s, NOW, () => 0.5);
      delays.push((next.nextReconnectAt!.getTime() - NOW.getTime()) / 60_000);
      s = { ...s, ...next, recentReconnects: [] };
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it("jitters each delay within ±20%", () => {
    const low = recordAttempt(state({ reconnectAttempt: 3 }), NOW, () => 0);
    const high = recordAttempt(state({ reconnectAttempt: 3 }), NOW, () => 1);
    expect((low.nextReconnectAt!.getTime() - NOW.getTime()) / 60_000).toBeCloseTo(6.4);
    expect((high.nextReconnectAt!.getTime() - NOW.getTime()) / 60_000).toBeCloseTo(9.6);
  });

  it("keeps only the last hour of attempts", () => {
    const next = recordAttempt(state({ recentReconnects: [minutesAgo(90), minutesAgo(30)] }), NOW, () => 0.5);
    expect(next.recentReconnects).toEqual([minutesAgo(30), NOW]);
  });
});
