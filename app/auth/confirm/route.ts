import type { EmailOtpType } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { safeNextPath } from "@/lib/auth/next-path";
import { createClient } from "@/lib/supabase/server";

const OTP_TYPES: readonly EmailOtpType[] = ["signup", "invite", "magiclink", "recovery", "email_change", "email"];

/**
 * Target of Supabase's email links (confirm sign-up, invite, magic link) when the email templates use
 * `{{ .SiteURL }}/auth/confirm?token_hash={{ .TokenHash }}&type=…&next=…`. The local auth server
 * sends no email, so this route only matters against a real Supabase project.
 */
export async function GET(request: NextRequest) {
  const { searchParams } = request.nextUrl;
  const tokenHash = searchParams.get("token_hash");
  const type = OTP_TYPES.find((candidate) => candidate === searchParams.get("type"));

  if (tokenHash && type) {
    const supabase = await createClient();
    const { error } = await supabase.auth.verifyOtp({ type, token_hash: tokenHash });
    if (!error) redirect(safeNextPath(searchParams.get("next")));
    console.error(`[auth/confirm] ${error.code ?? error.name}: ${error.message}`);
  }
  redirect("/sign-in?error=link");
}
