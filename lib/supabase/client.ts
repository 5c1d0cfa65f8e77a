import { createBrowserClient } from "@supabase/ssr";

/**
 * Unused, and kept unusable by eslint (no-restricted-imports): the session cookies are httpOnly, so a
 * browser client could not see the session. Kept only as the with-supabase layout names it; anything
 * that needs auth in the browser goes through a server action instead.
 *
 * The browser client. URL and publishable key come as props from a server component
 * (`supabasePublicConfig()` in lib/supabase/server.ts): lib/env.ts reads process.env at runtime, so
 * nothing NEXT_PUBLIC_* is inlined into the bundle. createBrowserClient returns one shared instance
 * per page, which is what the browser wants.
 */
export function createClient(url: string, publishableKey: string) {
  return createBrowserClient(url, publishableKey);
}
