import { createServerClient } from "@supabase/ssr";
import type { SupabaseClientOptions } from "@supabase/supabase-js";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { startAuthServer, type AuthServerHandle } from "@/dev/auth-server/server";
import { resetEnvCache } from "@/lib/env";
import { proxy } from "@/proxy";

type Transport = NonNullable<NonNullable<SupabaseClientOptions<"public">["realtime"]>["transport"]>;
const transport = WebSocket as unknown as Transport;

const USER = { id: "00000000-0000-4000-8000-0000000000aa", email: "ana@example.test", password: "pw-ana-123" };
const APP = "http://localhost:3000";
const COOKIE = "sb-127-auth-token";

let server: AuthServerHandle;
let other: AuthServerHandle;

beforeAll(async () => {
  server = await startAuthServer({ users: [USER], log: () => {}, nodeEnv: "test" });
  other = await startAuthServer({ users: [USER], log: () => {}, nodeEnv: "test" });
});
afterAll(async () => {
  await Promise.all([server.stop(), other.stop()]);
});

function useAuthServer(target: AuthServerHandle) {
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", target.url);
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY", "demo-publishable-key");
  resetEnvCache();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

/** Signs in the way the sign-in action does and returns the cookies @supabase/ssr wrote. */
async function sessionCookies(target: AuthServerHandle): Promise<Map<string, string>> {
  const jar = new Map<string, string>();
  const supabase = createServerClient(target.url, "demo-publishable-key", {
    realtime: { transport },
    cookies: {
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      setAll: (cookies) => cookies.forEach(({ name, value }) => (value ? jar.set(name, value) : jar.delete(name))),
    },
  });
  const { error } = await supabase.auth.signInWithPassword({ email: USER.email, password: USER.password });
  expect(error).toBeNull();
  expect([...jar.keys()].some((name) => name.startsWith(COOKIE))).toBe(true);
  return jar;
}

function request(path: string, cookies?: Map<string, string>, init: { method?: string; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (cookies) headers.set("cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "));
  return new NextRequest(new URL(path, APP), { headers, method: init.method ?? "GET" });
}

const HTTPS = { "x-forwarded-proto": "https" };

/** Rewrites the stored session, keeping the access token's original signature. */
function tamper(cookies: Map<string, string>, edit: (session: { access_token: string }) => void) {
  const names = [...cookies.keys()].filter((name) => name.startsWith(COOKIE)).sort();
  const joined = names.map((name) => cookies.get(name)).join("");
  const session = JSON.parse(Buffer.from(joined.replace(/^base64-/, ""), "base64url").toString("utf8"));
  edit(session);
  const out = new Map<string, string>();
  out.set(COOKIE, `base64-${Buffer.from(JSON.stringify(session)).toString("base64url")}`);
  return out;
}

describe("proxy", () => {
  it("redirects a signed-out page visit to sign-in, keeping path and query", async () => {
    useAuthServer(server);
    const response = await proxy(request("/channels/7?range=7d"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`${APP}/sign-in?next=%2Fchannels%2F7%3Frange%3D7d`);
  });

  it("answers a signed-out API call with 401 JSON", async () => {
    useAuthServer(server);
    const response = await proxy(request("/api/channels"));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("lets machine routes through without a session or even a configuration", async () => {
    for (const path of ["/api/cron/monitor", "/api/health", "/api/webhooks/evolution/1"]) {
      const response = await proxy(request(path));
      expect(response.headers.get("x-middleware-next")).toBe("1");
    }
  });

  it("lets sign-in and auth routes through signed out", async () => {
    useAuthServer(server);
    for (const path of ["/sign-in", "/auth/confirm"]) {
      const response = await proxy(request(path));
      expect(response.headers.get("x-middleware-next")).toBe("1");
    }
  });

  it("lets a signed-in visit through, verifying locally", async () => {
    useAuthServer(server);
    const cookies = await sessionCookies(server);
    const before = server.requests.filter((r) => r.path === "/auth/v1/user").length;
    const page = await proxy(request("/channels", cookies));
    expect(page.headers.get("x-middleware-next")).toBe("1");
    const api = await proxy(request("/api/channels", cookies));
    expect(api.headers.get("x-middleware-next")).toBe("1");
    expect(server.requests.filter((r) => r.path === "/auth/v1/user").length).toBe(before);
  });

  it("sends a tampered token to sign-in", async () => {
    useAuthServer(server);
    const cookies = tamper(await sessionCookies(server), (session) => {
      const [header, , signature] = session.access_token.split(".");
      const payload = { sub: "00000000-0000-4000-8000-0000000000bb", exp: Math.floor(Date.now() / 1000) + 3600, aud: "authenticated" };
      session.access_token = `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${signature}`;
    });
    const response = await proxy(request("/channels", cookies));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`${APP}/sign-in?next=%2Fchannels`);
  });

  it("sends a session from another auth server (unknown key) to sign-in", async () => {
    useAuthServer(server);
    const response = await proxy(request("/", await sessionCookies(other)));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(`${APP}/sign-in`);
  });

  it("sends an expired session whose refresh token was revoked to sign-in, clearing the cookie", async () => {
    const shortLived = await startAuthServer({ users: [USER], log: () => {}, nodeEnv: "test", accessTokenTtlSeconds: 1 });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      useAuthServer(shortLived);
      const cookies = await sessionCookies(shortLived);
      const revoked = tamper(cookies, (session) => {
        (session as { refresh_token?: string }).refresh_token = "not-a-refresh-token";
      });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const response = await proxy(request("/channels", revoked));
      expect(response.status).toBe(307);
      expect(response.headers.get("location")).toBe(`${APP}/sign-in?next=%2Fchannels`);
      const cleared = response.cookies.getAll().filter((cookie) => cookie.name.startsWith(COOKIE));
      expect(cleared.length).toBeGreaterThan(0);
      expect(cleared.every((cookie) => cookie.value === "")).toBe(true);
    } finally {
      errors.mockRestore();
      await shortLived.stop();
    }
  });

  it("refreshes an expiring session and hands the new cookies on", async () => {
    const shortLived = await startAuthServer({ users: [USER], log: () => {}, nodeEnv: "test", accessTokenTtlSeconds: 1 });
    try {
      useAuthServer(shortLived);
      const cookies = await sessionCookies(shortLived);
      const response = await proxy(request("/channels", cookies));
      expect(response.headers.get("x-middleware-next")).toBe("1");
      expect(response.cookies.getAll().some((cookie) => cookie.name.startsWith(COOKIE) && cookie.value)).toBe(true);
      expect(response.headers.get("cache-control")).toContain("no-store");
    } finally {
      await shortLived.stop();
    }
  });

  it("fails closed, naming the variable, when Supabase is not configured", async () => {
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY", "");
    resetEnvCache();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const page = await proxy(request("/channels"));
    expect(page.status).toBe(500);
    expect(await page.text()).toContain("NEXT_PUBLIC_SUPABASE_URL");
    const api = await proxy(request("/api/channels"));
    expect(api.status).toBe(500);
    expect(await api.json()).toMatchObject({ error: { code: "misconfigured" } });
    const signIn = await proxy(request("/sign-in"));
    expect(signIn.status).toBe(500);

    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", server.url);
    resetEnvCache();
    const keyMissing = await proxy(request("/channels"));
    expect(await keyMissing.text()).toContain("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY");
    errors.mockRestore();
  });

  it("writes httpOnly, sameSite=lax session cookies of at most 30 days, Secure only over https", async () => {
    const shortLived = await startAuthServer({ users: [USER], log: () => {}, nodeEnv: "test", accessTokenTtlSeconds: 1 });
    try {
      useAuthServer(shortLived);
      const cookies = await sessionCookies(shortLived);
      for (const [headers, secure] of [[{}, false], [HTTPS, true], [{ "x-forwarded-proto": "http" }, false]] as const) {
        const response = await proxy(request("/channels", cookies, { headers }));
        const written = response.cookies.getAll().filter((cookie) => cookie.name.startsWith(COOKIE) && cookie.value);
        expect(written.length).toBeGreaterThan(0);
        for (const cookie of written) {
          expect(cookie).toMatchObject({ httpOnly: true, sameSite: "lax", secure, maxAge: 30 * 24 * 60 * 60, path: "/" });
        }
      }
    } finally {
      await shortLived.stop();
    }
  });

  it("sends HSTS on https responses only, whatever the route", async () => {
    useAuthServer(server);
    for (const path of ["/sign-in", "/channels", "/api/channels", "/api/health"]) {
      const secure = await proxy(request(path, undefined, { headers: HTTPS }));
      expect(secure.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
      const plain = await proxy(request(path));
      expect(plain.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("answers a cross-origin server action 403 JSON, before reading any session", async () => {
    useAuthServer(server);
    const cookies = await sessionCookies(server);
    const before = server.requests.length;
    const action = (origin: string | null, extra: Record<string, string> = {}) =>
      proxy(request("/channels/7", cookies, {
        method: "POST",
        headers: { host: "localhost:3000", "next-action": "7f00ab", ...(origin ? { origin } : {}), ...extra },
      }));
    for (const origin of ["http://evil.example", "http://localhost:3001", "null"]) {
      const refused = await action(origin);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: { code: "cross_origin", message: expect.any(String) } });
    }
    const forwarded = await action("https://sentinela.example", { "x-forwarded-host": "evil.example" });
    expect(forwarded.status).toBe(403);
    expect(server.requests.length).toBe(before);

    // Same origin (directly or behind a proxy that names the public host), or no Origin at all: on to Next.
    for (const [origin, extra] of [["http://localhost:3000", {}], ["https://sentinela.example", { "x-forwarded-host": "sentinela.example" }], [null, {}]] as const) {
      const response = await action(origin, extra);
      expect(response.headers.get("x-middleware-next")).toBe("1");
    }
    const form = await proxy(request("/sign-in", undefined, {
      method: "POST",
      headers: { host: "localhost:3000", origin: "http://evil.example", "content-type": "multipart/form-data; boundary=x" },
    }));
    expect(form.status).toBe(403);
  });
});
