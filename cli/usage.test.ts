import { describe, expect, it } from "vitest";
import { EVERY_MAX_MS, parseDuration, UsageError } from "@/cli/usage";

describe("parseDuration (monitor --every)", () => {
  it("reads seconds, minutes, hours and bare seconds", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("90")).toBe(90_000);
    expect(parseDuration("24h")).toBe(EVERY_MAX_MS);
    expect(parseDuration("10000ms")).toBe(10_000);
  });

  it("refuses what would overflow setTimeout or hammer the gateways", () => {
    for (const text of ["40000m", "25h", "1441m", "99999999999999999999s", "9s", "500ms", "0"]) {
      expect(() => parseDuration(text), text).toThrow(new UsageError(`--every must be between 10s and 24h (got ${text})`));
    }
    // Everything allowed stays a valid setTimeout delay.
    expect(EVERY_MAX_MS).toBeLessThan(2 ** 31 - 1);
  });

  it("names a malformed value", () => {
    expect(() => parseDuration("soon")).toThrow(/"soon" is not a duration/);
    expect(() => parseDuration("1d")).toThrow(/is not a duration/);
  });
});
