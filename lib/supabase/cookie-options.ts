import type { CookieOptions, CookieOptionsWithName } from "@supabase/ssr";

/**
 * The session cookies' flags, for both places that write them (proxy.ts refreshes, server actions sign
 * in and out). What must stay true:
 * - httpOnly: no script reads the session. Nothing in the browser uses a Supabase client (sign-in goes
 *   through server actions), so nothing needs to.
 * - secure exactly when the request came over https (lib/http/request-origin.ts), not by NODE_ENV.
 * - sameSite=lax: a cross-site POST carries no session.
 * - at most 30 days, renewed on use: @supabase/ssr writes its own 400-day maxAge over cookieOptions on
 *   every set, so setAll clamps it with `withSessionLifetime`. Every token refresh rewrites the cookies,
 *   and the access token lives an hour, so any visit more than an hour after the last write renews
 *   them for another 30 days; 30 days without a visit and the browser forgets the session.
 */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export function sessionCookieOptions(secure: boolean): CookieOptionsWithName {
  return { path: "/", httpOnly: true, secure, sameSite: "lax", maxAge: SESSION_MAX_AGE_SECONDS };
}

/**
 * The options @supabase/ssr hands to setAll, with our flags and lifetime enforced. A deletion keeps its
 * maxAge 0; a caller's Expires is dropped (Next derives Expires from maxAge itself).
 */
export function withSessionLifetime(options: CookieOptions, secure: boolean): CookieOptions {
  const maxAge = Math.min(options.maxAge ?? SESSION_MAX_AGE_SECONDS, SESSION_MAX_AGE_SECONDS);
  return { ...options, expires: undefined, httpOnly: true, secure, sameSite: "lax", maxAge };
}
