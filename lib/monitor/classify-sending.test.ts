import { describe, expect, it } from "vitest";
import { classifyReport } from "@/lib/monitor/classify-state";
import { healthOf, NEEDS_A_PERSON } from "@/lib/monitor/states";
import { decideReconnect } from "@/lib/monitor/reconnect-policy";

describe("blocked and restricted (the provider limits sending)", () => {
  it("a blocked number is blocked with the provider's words, whatever the session says", () => {
    const o = classifyReport({ state: "open", latencyMs: 5, sending: { verdict: "blocked", reason: "Account has been locked" } });
    expect(o.state).toBe("blocked");
    expect(o.reason).toBe("Account has been locked");
    expect(classifyReport({ state: "close", latencyMs: 5, sending: { verdict: "blocked", reason: "  " } }).reason).toMatch(/refuses to send/);
  });

  it("limited sending on an open line is restricted; a line that is not up keeps the session's verdict", () => {
    expect(classifyReport({ state: "open", latencyMs: 5, sending: { verdict: "restricted", reason: "quality RED" } })).toMatchObject({ state: "restricted", reason: "quality RED" });
    expect(classifyReport({ state: "close", reasonCode: 428, latencyMs: 5, sending: { verdict: "restricted", reason: "x" } }).state).toBe("disconnected");
  });

  it("blocked is down and restricted degraded; neither is ever reconnected", () => {
    expect(healthOf("blocked")).toBe("down");
    expect(healthOf("restricted")).toBe("degraded");
    expect(NEEDS_A_PERSON.has("blocked")).toBe(true);
    for (const state of ["blocked", "restricted"] as const) {
      const d = decideReconnect({ state, since: new Date(0), reconnectAttempt: 0, nextReconnectAt: null, recentReconnects: [], qrRequestedAt: null }, new Date(1e9));
      expect(d).toEqual({ act: false, why: "needs_a_person" });
    }
  });
});
