import { createBrowserClient } from "@supabase/ssr";

/**
 * The browser client. URL and publishable key come as props from a server component
 * (`supabasePublicConfig()` in lib/supabase/server.ts): lib/env.ts reads process.env at runtime, so
 * nothing NEXT_PUBLIC_* is inlined into the bundle. createBrowserClient returns one shared instance
 * per page, which is what the browser wants.
 */
export function createClient(url: string, publishableKey: string) {
  return createBrowserClient(url, publishableKey);
}
