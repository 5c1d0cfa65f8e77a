"use server";

import { redirect } from "next/navigation";
import { getLocale } from "next-intl/server";
import { z } from "zod";
import { safeNextPath } from "@/lib/auth/next-path";
import { DEMO_PASSWORD, DEMO_USERS } from "@/lib/demo/demo-data";
import { env } from "@/lib/env";
import { createClient } from "@/lib/supabase/server";
import { signInStrings, type SignInStrings } from "./strings";

export interface SignInState {
  email: string;
  error?: string;
  fieldErrors?: { email?: string; password?: string };
}

const credentials = (t: SignInStrings) => z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: t.errors.invalidEmail })),
  password: z.string().min(1, { error: t.errors.missingPassword }).max(1024),
  next: z.string().optional(),
});

export async function signIn(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const t = signInStrings(await getLocale());
  const parsed = credentials(t).safeParse({
    email: formData.get("email") ?? "",
    password: formData.get("password") ?? "",
    next: formData.get("next") ?? undefined,
  });
  const email = String(formData.get("email") ?? "");
  if (!parsed.success) {
    const fields = z.flattenError(parsed.error).fieldErrors;
    return { email, fieldErrors: { email: fields.email?.[0], password: fields.password?.[0] } };
  }
  const error = await signInWithPassword(parsed.data.email, parsed.data.password, t);
  if (error) return { email, error };
  redirect(safeNextPath(parsed.data.next));
}

/** One click for a seeded demo user; refused unless the app runs in demo mode. */
export async function signInAsDemoUser(formData: FormData): Promise<void> {
  if (env().SENTINELA_DEMO !== "1") redirect("/sign-in?error=demo");
  const user = DEMO_USERS.find((candidate) => candidate.email === formData.get("email"));
  if (!user) redirect("/sign-in?error=credentials");
  const error = await signInWithPassword(user.email, DEMO_PASSWORD, signInStrings(await getLocale()));
  if (error) redirect("/sign-in?error=unavailable");
  redirect(safeNextPath(formData.get("next")));
}

/** Null on success (the session cookies are set); otherwise the message to show. */
async function signInWithPassword(email: string, password: string, t: SignInStrings): Promise<string | null> {
  const supabase = await createClient();
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (!error) return null;
  switch (error.code) {
    case "invalid_credentials":
      return t.errors.invalidCredentials;
    case "email_not_confirmed":
      return t.errors.emailNotConfirmed;
    case "over_request_rate_limit":
    case "over_email_send_rate_limit":
      return t.errors.rateLimited;
    default:
      console.error(`[sign-in] ${error.status ?? "?"} ${error.code ?? error.name}: ${error.message}`);
      return t.errors.unavailable;
  }
}
