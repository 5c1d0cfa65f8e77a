import { NextResponse } from "next/server";
import { describe, expect, it } from "vitest";
import { SESSION_MAX_AGE_SECONDS, sessionCookieOptions, withSessionLifetime } from "@/lib/supabase/cookie-options";

// What @supabase/ssr hands to setAll: its defaults (400 days, not httpOnly) written over our cookieOptions.
const LIBRARY_SET = { path: "/", sameSite: "lax", httpOnly: false, maxAge: 400 * 24 * 60 * 60 } as const;

describe("session cookie options", () => {
  it("caps the library's 400-day lifetime at 30 days and forces httpOnly and lax", () => {
    expect(withSessionLifetime(LIBRARY_SET, false)).toMatchObject({ httpOnly: true, secure: false, sameSite: "lax", maxAge: SESSION_MAX_AGE_SECONDS });
    expect(withSessionLifetime({ ...LIBRARY_SET, sameSite: "none", secure: true }, false)).toMatchObject({ sameSite: "lax", secure: false });
    expect(SESSION_MAX_AGE_SECONDS).toBe(30 * 24 * 60 * 60);
  });

  it("keeps a deletion a deletion", () => {
    expect(withSessionLifetime({ ...LIBRARY_SET, maxAge: 0 }, true)).toMatchObject({ maxAge: 0, secure: true, httpOnly: true });
  });

  it("serializes as the browser must receive it", () => {
    const response = NextResponse.next();
    response.cookies.set("sb-x-auth-token", "v", withSessionLifetime({ ...LIBRARY_SET, expires: new Date(Date.now() + 1e12) }, true));
    const header = response.headers.get("set-cookie") ?? "";
    expect(header).toMatch(/Max-Age=2592000/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(header)?.[1] ?? "");
    expect(expires).toBeLessThanOrEqual(Date.now() + SESSION_MAX_AGE_SECONDS * 1000 + 1000);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/Secure/);
    expect(header.toLowerCase()).toMatch(/samesite=lax/);
    expect(sessionCookieOptions(false)).toMatchObject({ httpOnly: true, secure: false, sameSite: "lax" });
  });
});
