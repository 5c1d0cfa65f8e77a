import type { JwtPayload } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { signInPath } from "@/lib/auth/next-path";
import type { VerifiedClaims } from "@/lib/db/sessions";
import { createClient } from "@/lib/supabase/server";

/** Claims whose signature and expiry getClaims() checked; null when signed out or the token is bad. */
export async function getVerifiedClaims(): Promise<VerifiedClaims | null> {
  const supabase = await createClient();
  const { data, error } = await supabase.auth.getClaims();
  if (error || !data?.claims) return null;
  return toVerifiedClaims(data.claims);
}

/** For pages, actions and route handlers that need a user: redirects to sign-in otherwise. */
export async function requireClaims(nextPath?: string): Promise<VerifiedClaims> {
  const claims = await getVerifiedClaims();
  if (!claims) redirect(signInPath(nextPath));
  return claims;
}

export function toVerifiedClaims(claims: JwtPayload): VerifiedClaims | null {
  const { sub } = claims;
  if (typeof sub !== "string" || sub.length === 0) return null;
  return { ...claims, sub };
}
