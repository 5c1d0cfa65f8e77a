import { env, EnvError, requireEnv } from "@/lib/env";

/**
 * What the web app cannot start without. Called once at server start (instrumentation.ts): a missing
 * or malformed variable stops start-up with a message naming it, instead of failing on the first
 * request. CRON_SECRET is the exception by contract: without it the cron route answers 500
 * `misconfigured` (fail closed) while the dashboard keeps working, so it is only warned about.
 */
export function assertStartupEnv(): string[] {
  const config = env();
  requireEnv("NEXT_PUBLIC_SUPABASE_URL");
  requireEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY");
  if (config.DATABASE_URL && !config.CHANNEL_SECRET_KEY) {
    throw new EnvError("CHANNEL_SECRET_KEY", "is not set (needed to decrypt gateway API keys with DATABASE_URL)");
  }
  const warnings: string[] = [];
  if (!config.CRON_SECRET) warnings.push("CRON_SECRET is not set: /api/cron/monitor answers 500 misconfigured");
  if (!config.APP_URL) warnings.push("APP_URL is not set: gateway webhooks cannot be installed or repaired");
  return warnings;
}
