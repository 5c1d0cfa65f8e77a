import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

function failure(source: Record<string, string>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    return error as EnvError;
  }
  throw new Error("expected a configuration error");
}

describe("parseEnv", () => {
  it("applies the documented defaults", () => {
    expect(parseEnv({})).toMatchObject({
      MONITOR_INTERVAL_SECONDS: 30, MONITOR_CONCURRENCY: 50, GATEWAY_TIMEOUT_MS: 10_000, MONITOR_MAX_WORKERS: 8, PORT: 3000,
    });
  });

  it.each([
    ["DATABASE_URL", "mysql://x"],
    ["CHANNEL_SECRET_KEY", "too-short"],
    ["CRON_SECRET", "short"],
    ["MONITOR_CONCURRENCY", "0"],
    ["MONITOR_MAX_WORKERS", "65"],
    ["PORT", "http"],
    ["NEXT_PUBLIC_SUPABASE_URL", "not a url"],
    ["GATEWAY_ALLOWED_HOSTS", "127.0.0.1:54330, gw.internal:http"],
  ])("names %s when it is malformed", (variable, value) => {
    const error = failure({ [variable]: value });
    expect(error).toBeInstanceOf(EnvError);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it("reads GATEWAY_ALLOWED_HOSTS into entries, empty when unset, and names the bad entry", () => {
    expect(parseEnv({}).GATEWAY_ALLOWED_HOSTS).toEqual([]);
    expect(parseEnv({ GATEWAY_ALLOWED_HOSTS: "127.0.0.1:54330,gw.internal" }).GATEWAY_ALLOWED_HOSTS.map((entry) => entry.text))
      .toEqual(["127.0.0.1:54330", "gw.internal"]);
    expect(failure({ GATEWAY_ALLOWED_HOSTS: "10.0.0.0/8,10.0.0.0/40" }).message).toContain('"10.0.0.0/40"');
  });

  it("treats a blank secret as missing, never as an empty secret", () => {
    expect(parseEnv({ CRON_SECRET: "   " }).CRON_SECRET).toBeUndefined();
  });

  it("accepts a 32-byte base64 channel key", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(parseEnv({ CHANNEL_SECRET_KEY: key }).CHANNEL_SECRET_KEY).toBe(key);
  });
});
