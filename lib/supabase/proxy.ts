import { createServerClient } from "@supabase/ssr";
import type { JwtPayload, SupabaseClientOptions } from "@supabase/supabase-js";
import { NextResponse, type NextRequest } from "next/server";
import WebSocket from "ws";
import { requireEnv } from "@/lib/env";
import { isHttpsRequest } from "@/lib/http/request-origin";
import { sessionCookieOptions, withSessionLifetime } from "@/lib/supabase/cookie-options";

// Node 20 has no global WebSocket (see lib/supabase/server.ts).
type Transport = NonNullable<NonNullable<SupabaseClientOptions<"public">["realtime"]>["transport"]>;
const transport = WebSocket as unknown as Transport;

export interface UpdatedSession {
  /** Carries refreshed session cookies (and no-store headers when it does); return it, or copy them. */
  response: NextResponse;
  /** Verified by getClaims(); null when signed out, expired beyond refresh, or tampered. */
  claims: JwtPayload | null;
}

/**
 * Refreshes the session cookies for this request and verifies the access token. Throws EnvError when
 * the Supabase URL or key is missing: the caller must answer with an error, never let the request on.
 */
export async function updateSession(request: NextRequest): Promise<UpdatedSession> {
  const url = requireEnv("NEXT_PUBLIC_SUPABASE_URL");
  const publishableKey = requireEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY");
  let response = NextResponse.next({ request });
  const secure = isHttpsRequest(request.headers, request.nextUrl);

  // A new client per request: it holds this request's cookies.
  const supabase = createServerClient(url, publishableKey, {
    realtime: { transport },
    cookieOptions: sessionCookieOptions(secure),
    cookies: {
      getAll() {
        return request.cookies.getAll();
      },
      setAll(cookiesToSet, headers) {
        // Downstream server components must see the refreshed tokens, so they go on the request too.
        for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
        response = NextResponse.next({ request });
        for (const { name, value, options } of cookiesToSet) {
          response.cookies.set(name, value, withSessionLifetime(options, secure));
        }
        for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
      },
    },
  });

  // Nothing may run between creating the client and getClaims(): it is what refreshes the session.
  const { data, error } = await supabase.auth.getClaims();
  const claims = !error && typeof data?.claims?.sub === "string" ? data.claims : null;
  return { response, claims };
}
