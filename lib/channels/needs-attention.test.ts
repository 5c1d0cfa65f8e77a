import { describe, expect, it } from "vitest";
import { needsAttention, type AttentionFacts } from "@/lib/channels/needs-attention";
import { CHANNEL_STATES } from "@/lib/monitor/states";

const DAY = 86_400;
const facts = (overrides: Partial<AttentionFacts>): AttentionFacts => ({
  state: "connected", monitorError: null, upSeconds7d: 7 * DAY, observedSeconds7d: 7 * DAY, ...overrides,
});

describe("needsAttention", () => {
  it("leaves out a connected channel with a good week, and a paused one whatever its week", () => {
    expect(needsAttention(facts({}))).toBe(false);
    expect(needsAttention(facts({ upSeconds7d: 0, observedSeconds7d: 0 }))).toBe(false);
    expect(needsAttention(facts({ state: "paused", upSeconds7d: 0 }))).toBe(false);
  });

  it("lists every other state, even with a perfect week", () => {
    for (const state of CHANNEL_STATES.filter((s) => s !== "connected" && s !== "paused")) {
      expect(needsAttention(facts({ state })), state).toBe(true);
    }
  });

  it("lists a connected channel whose week shows amber or red (under 99 % up)", () => {
    expect(needsAttention(facts({ upSeconds7d: 0.99 * 7 * DAY }))).toBe(false);
    expect(needsAttention(facts({ upSeconds7d: 0.98 * 7 * DAY }))).toBe(true);
    // Under a minute observed is no figure at all, not a bad one.
    expect(needsAttention(facts({ upSeconds7d: 0, observedSeconds7d: 59 }))).toBe(false);
  });

  it("lists any channel the monitor could not record, paused or connected", () => {
    expect(needsAttention(facts({ monitorError: "value too long" }))).toBe(true);
    expect(needsAttention(facts({ state: "paused", monitorError: "value too long" }))).toBe(true);
  });
});
