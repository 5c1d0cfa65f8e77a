import { hasPrefix, isAuthPath } from "@/lib/auth/next-path";

/**
 * Who may reach a path, as proxy.ts enforces it:
 * - `machine`: routes with their own authentication (cron secret, per-channel webhook secret) or none
 *   by design (health); no session is read or required.
 * - `auth`: sign-in and the auth callbacks; the session is refreshed but not required.
 * - `api`: every other API route; no session answers 401 JSON.
 * - `page`: everything else; no session redirects to sign-in.
 */
export type PathAccess = "machine" | "auth" | "api" | "page";

const MACHINE_PREFIXES = ["/api/cron", "/api/health", "/api/webhooks"];

export function classifyPath(pathname: string): PathAccess {
  if (MACHINE_PREFIXES.some((prefix) => hasPrefix(pathname, prefix))) return "machine";
  if (isAuthPath(pathname)) return "auth";
  if (hasPrefix(pathname, "/api")) return "api";
  return "page";
}
