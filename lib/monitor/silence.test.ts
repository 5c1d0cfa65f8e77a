import { describe, expect, it } from "vitest";
import { silenceOf, silentSinceAt } from "@/lib/monitor/silence";

const since = new Date("2026-03-01T12:00:00Z");
const at = (seconds: number) => new Date(since.getTime() + seconds * 1000);

describe("silence", () => {
  it("is measured from the last event, or from the connection when no event came after it", () => {
    expect(silenceOf({ state: "connected", since, lastEventAt: at(30), thresholdSeconds: 60 })).toEqual({ since: at(30), degradedFrom: at(90) });
    expect(silenceOf({ state: "connected", since, lastEventAt: at(-30), thresholdSeconds: 60 })).toEqual({ since, degradedFrom: at(60) });
  });

  it("applies only to connected channels that watch for it, once the threshold has passed", () => {
    expect(silenceOf({ state: "disconnected", since, lastEventAt: null, thresholdSeconds: 60 })).toBeNull();
    expect(silenceOf({ state: "connected", since, lastEventAt: null, thresholdSeconds: null })).toBeNull();
    const input = { state: "connected" as const, since, lastEventAt: null, thresholdSeconds: 60 };
    expect(silentSinceAt(input, at(59))).toBeNull();
    expect(silentSinceAt(input, at(60))).toEqual(since);
  });
});
