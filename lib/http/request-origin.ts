/**
 * What a request says about where it came from, read the way Next.js itself reads it. Works on the
 * Headers of a proxy request and on the `headers()` of a server component or action alike.
 */

/** The first entry of a comma-separated forwarded header, as proxies append theirs. */
function firstForwarded(value: string | null): string | undefined {
  const first = value?.split(",")[0]?.trim();
  return first ? first.toLowerCase() : undefined;
}

/**
 * True when the browser reached us over https. Decided by the request's scheme, never by NODE_ENV: the
 * demo and e2e serve the production build over plain http, where a Secure cookie would never come back.
 * `x-forwarded-proto` is the platform proxy's word (Next's own server fills it in when nobody did);
 * without it, the URL's scheme. A client that forges it only makes its own cookies stricter.
 */
export function isHttpsRequest(headers: Headers, url?: URL): boolean {
  const forwarded = firstForwarded(headers.get("x-forwarded-proto"));
  if (forwarded) return forwarded === "https";
  return url?.protocol === "https:";
}

/** Sent on https responses only: over http the browser ignores it, and the demo must stay reachable. */
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/** A server action call: Next's fetch actions carry `next-action`; no-JS form posts are multipart. */
export function isServerActionRequest(method: string, headers: Headers): boolean {
  if (method !== "POST") return false;
  if (headers.has("next-action")) return true;
  return (headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

/**
 * True when a browser says the request comes from another origin than the host it was sent to: the
 * same comparison Next makes for server actions (Origin's host against x-forwarded-host, else Host),
 * which there ends in a 500. No Origin at all is let through as Next does (not a browser's CSRF: a
 * browser always sends Origin on a cross-origin POST); an opaque `null` origin is cross-origin.
 */
export function isCrossOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host.toLowerCase();
  } catch {
    return true;
  }
  const host = firstForwarded(headers.get("x-forwarded-host")) ?? headers.get("host")?.trim().toLowerCase();
  return !host || originHost !== host;
}
