const PLACEHOLDER_ORIGIN = "http://sentinela.invalid";

/**
 * The `next` parameter, reduced to a path on this site. Anything that could leave the site —
 * absolute URLs, protocol-relative `//host`, backslashes (browsers read `/\host` as `//host`),
 * control characters (the URL parser drops tabs and newlines) — yields `fallback`, and so does a
 * path back into sign-in or the auth routes, which would loop.
 */
export function safeNextPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
  if (isAuthPath(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/sign-in`, carrying where to go afterwards when that is somewhere other than the home page. */
export function signInPath(next?: string | null): string {
  const target = safeNextPath(next);
  return target === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(target)}`;
}

export function isAuthPath(pathname: string): boolean {
  return hasPrefix(pathname, "/sign-in") || hasPrefix(pathname, "/auth");
}

/** `prefix` itself or below it, on a segment boundary: `/auth/x` yes, `/authority` no. */
export function hasPrefix(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}
