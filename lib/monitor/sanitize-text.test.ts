import { describe, expect, it } from "vitest";
import { sanitizeOutcome, sanitizeText } from "@/lib/monitor/sanitize-text";
import type { ChannelOutcome } from "@/lib/monitor/types";

describe("sanitizeText", () => {
  it("drops NUL and other control characters, keeping tab and newline", () => {
    expect(sanitizeText("a\u0000b\u0007c\td\ne\u001bf\u007fg\u0085h", 100)).toBe("abc\td\nefgh");
  });

  it("replaces lone surrogates and keeps real pairs", () => {
    expect(sanitizeText("x\uD800y\uDC00z", 100)).toBe("x\uFFFDy\uFFFDz");
    expect(sanitizeText("ok 😀", 100)).toBe("ok 😀");
  });

  it("caps the length without splitting a surrogate pair", () => {
    expect(sanitizeText("abcdef", 4)).toBe("abc…");
    const capped = sanitizeText("ab😀cd", 4);
    expect(capped).toBe("ab…");
    expect(JSON.stringify(capped)).not.toMatch(/\\ud83d/i);
  });

  it("gives jsonb something it takes: no \\u0000 escape and no lone surrogate escape", () => {
    const json = JSON.stringify(sanitizeText("driver said \u0000 near \uD800", 1000));
    expect(json).not.toMatch(/\\u0000|\\ud800/i);
  });
});

describe("sanitizeOutcome", () => {
  const at = new Date("2026-03-01T12:00:00.000Z");
  const outcome = (detail: string): ChannelOutcome => ({
    channelId: "c", status: {
      state: "connected", reason: "open", since: at, lastCheckedAt: at, pendingState: null, pendingReason: null, pendingSince: null,
      reconnectAttempt: 0, nextReconnectAt: null, recentReconnects: [], qrRequestedAt: null, lastCheckRecordedAt: at,
      accountedUntil: at, latencyMs: 5, nextCheckAt: at,
    },
    check: { channelId: "c", tenantId: "t", checkedAt: at, state: "connected", gatewayState: "open", reasonCode: null, latencyMs: 5, errorCode: null, detail },
    actions: [], hourly: [], daily: [], failed: false, reconnected: false, claimedSince: at,
    webhook: { checkedAt: null, silentSince: null },
  });

  it("gives back a clean outcome as it is (it runs twice per check), and cleans one that is not", () => {
    const clean = outcome("open");
    expect(sanitizeOutcome(clean)).toBe(clean);
    expect(sanitizeOutcome(outcome("said \u0000 near \uD800")).check?.detail).toBe("said  near \uFFFD");
  });
});
