import { createClient } from "@/lib/supabase/server";

/**
 * POST only: a GET would let any link or prefetch sign the user out. Signs out this device (its
 * session's refresh tokens are revoked); the access token stays valid until it expires, which is
 * why pages re-verify and RLS re-checks rather than trusting an earlier check.
 */
export async function POST() {
  const supabase = await createClient();
  const { error } = await supabase.auth.signOut({ scope: "local" });
  if (error) console.error(`[auth/sign-out] ${error.code ?? error.name}: ${error.message}`);
  // 303 turns the POST into a GET; a relative Location stays right behind any reverse proxy.
  return new Response(null, { status: 303, headers: { Location: "/sign-in" } });
}
