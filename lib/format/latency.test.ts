import { describe, expect, it } from "vitest";
import { channelLatency, checkLatency, formatLatency, isSlow, SLOW_LATENCY_MS } from "@/lib/format/latency";

describe("latency shown", () => {
  it("is never shown for a gateway that is down, refuses the key, or a channel not checked", () => {
    expect(channelLatency("provider_down", 1)).toBeNull();
    expect(channelLatency("misconfigured", 35)).toBeNull();
    expect(channelLatency("paused", 35)).toBeNull();
    expect(channelLatency("connected", 35)).toBe(35);
    expect(channelLatency("needs_qr", 35)).toBe(35); // the gateway answered: the session is closed
  });

  it("is shown for a check only when the gateway reported a session state", () => {
    expect(checkLatency({ gatewayState: "open", errorCode: null, latencyMs: 40 })).toBe(40);
    expect(checkLatency({ gatewayState: null, errorCode: "provider_down", latencyMs: 1 })).toBeNull();
    expect(checkLatency({ gatewayState: null, errorCode: "misconfigured", latencyMs: 12 })).toBeNull();
  });

  it("calls 2 s and more slow, and prints it in seconds", () => {
    expect(SLOW_LATENCY_MS).toBe(2_000);
    expect(isSlow(1_999)).toBe(false);
    expect(isSlow(2_000)).toBe(true);
    expect(isSlow(null)).toBe(false);
    expect(formatLatency(320, "pt-BR")).toBe("320 ms");
    expect(formatLatency(2_940, "pt-BR")).toBe("2,9 s");
    expect(formatLatency(2_940, "en")).toBe("2.9 s");
    expect(formatLatency(12_000, "en")).toBe("12 s");
  });
});
