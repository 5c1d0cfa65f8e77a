import { createServerClient } from "@supabase/ssr";
import type { SupabaseClientOptions } from "@supabase/supabase-js";
import { cookies, headers } from "next/headers";
import WebSocket from "ws";
import { requireEnv } from "@/lib/env";
import { isHttpsRequest } from "@/lib/http/request-origin";
import { sessionCookieOptions, withSessionLifetime } from "@/lib/supabase/cookie-options";

// Node 20 has no global WebSocket and supabase-js refuses to construct a client without one. ws's
// constructor overloads do not match realtime-js's structural type, hence the cast.
type Transport = NonNullable<NonNullable<SupabaseClientOptions<"public">["realtime"]>["transport"]>;
const transport = WebSocket as unknown as Transport;

/** What a server component hands to client components that need the browser client. */
export interface SupabasePublicConfig {
  url: string;
  publishableKey: string;
}

/** Throws EnvError naming the missing variable: without them there is no auth, so nothing may proceed. */
export function supabasePublicConfig(): SupabasePublicConfig {
  return {
    url: requireEnv("NEXT_PUBLIC_SUPABASE_URL"),
    publishableKey: requireEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY"),
  };
}

/**
 * A client bound to this request's cookies. Create one per request (server component, action, route
 * handler) and never keep it in module state: it carries one user's session.
 */
export async function createClient() {
  // cookies() first: it is what marks the route dynamic, so a build without Supabase env does not
  // try to prerender it and fail on the missing configuration.
  const cookieStore = await cookies();
  const secure = isHttpsRequest(await headers());
  const { url, publishableKey } = supabasePublicConfig();
  return createServerClient(url, publishableKey, {
    realtime: { transport },
    cookieOptions: sessionCookieOptions(secure),
    cookies: {
      getAll() {
        return cookieStore.getAll();
      },
      setAll(cookiesToSet) {
        try {
          for (const { name, value, options } of cookiesToSet) {
            cookieStore.set(name, value, withSessionLifetime(options, secure));
          }
        } catch {
          // Server components cannot set cookies; proxy.ts has already refreshed the session for
          // this request, so nothing is lost. Actions and route handlers do set them.
        }
      },
    },
  });
}
