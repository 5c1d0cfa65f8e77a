import { describe, expect, it } from "vitest";
import { classifyPath } from "./access-policy";
import { safeNextPath, signInPath } from "./next-path";

describe("safeNextPath", () => {
  it.each([
    ["/", "/"],
    ["/channels", "/channels"],
    ["/channels/42?range=7d#events", "/channels/42?range=7d#events"],
    ["/channels/../settings", "/settings"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
  ])("keeps the relative path %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it.each([
    "https://evil.example/",
    "http:/evil.example",
    "//evil.example",
    "//evil.example/channels",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    "channels",
    "",
    " /channels",
    "/sign-in",
    "/sign-in?next=/channels",
    "/auth/sign-out",
    "/auth",
  ])("rejects %j", (input) => {
    expect(safeNextPath(input)).toBe("/");
  });

  it("rejects values that are not one string", () => {
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(["/a", "/b"])).toBe("/");
    expect(safeNextPath(`/${"a".repeat(3000)}`)).toBe("/");
  });

  it("uses the given fallback", () => {
    expect(safeNextPath("//evil.example", "/channels")).toBe("/channels");
  });
});

describe("signInPath", () => {
  it("carries a safe next path and drops an unsafe or trivial one", () => {
    expect(signInPath("/channels?tenant=serra-verde")).toBe("/sign-in?next=%2Fchannels%3Ftenant%3Dserra-verde");
    expect(signInPath("/")).toBe("/sign-in");
    expect(signInPath("//evil.example")).toBe("/sign-in");
    expect(signInPath()).toBe("/sign-in");
  });
});

describe("classifyPath", () => {
  it.each([
    ["/api/cron/monitor", "machine"],
    ["/api/health", "machine"],
    ["/api/webhooks/evolution/123", "machine"],
    ["/api/cronjobs", "api"],
    ["/api/channels", "api"],
    ["/api", "api"],
    ["/sign-in", "auth"],
    ["/auth/confirm", "auth"],
    ["/authority", "page"],
    ["/sign-inside", "page"],
    ["/", "page"],
    ["/channels/1", "page"],
  ] as const)("%s is %s", (path, expected) => {
    expect(classifyPath(path)).toBe(expected);
  });
});
