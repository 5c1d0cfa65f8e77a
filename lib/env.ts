import { z } from "zod";
import { AllowListError, parseAllowList } from "@/lib/net/allow-list";

/**
 * The one reader of process.env. Each consumer asks for the slice it needs, so the CLI's `migrate`
 * does not demand the cron secret, while anything that does need a value fails loudly, naming it.
 */

const base64Key32 = z
  .string()
  .refine((value) => Buffer.from(value, "base64").length === 32 && /^[A-Za-z0-9+/]+=*$/.test(value), {
    message: "must be 32 random bytes in base64 (openssl rand -base64 32)",
  });

const intInRange = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  CRON_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  NEXT_PUBLIC_SUPABASE_URL: z.url("must be the Supabase project URL").optional(),
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: z.string().min(1).optional(),
  CHANNEL_SECRET_KEY: base64Key32.optional(),
  APP_URL: z.url("must be the public URL of this app, e.g. https://sentinela.example.com").optional(),
  MONITOR_INTERVAL_SECONDS: intInRange(10, 3600, 30),
  MONITOR_CONCURRENCY: intInRange(1, 1000, 50),
  GATEWAY_TIMEOUT_MS: intInRange(100, 120_000, 10_000),
  // Worker invocations a cron pass may start when one invocation cannot finish its due channels
  // (lib/monitor/plan-fan-out.ts); 0 turns fan-out off.
  MONITOR_MAX_WORKERS: intInRange(0, 64, 8),
  PORT: intInRange(1, 65535, 3000),
  GATEWAY_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((value, context) => {
      try {
        return parseAllowList(value);
      } catch (error) {
        if (!(error instanceof AllowListError)) throw error;
        context.addIssue({ code: "custom", message: `${error.message} (each entry: host, host:port, [IPv6]:port or CIDR)` });
        return z.NEVER;
      }
    }),
  // E-mail alerts (lib/alerts/send-email.ts): the operator's SMTP server and the From of every alert.
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/]/, "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587").optional(),
  ALERT_FROM: z
    .string()
    .regex(/^[^<>@\s]+@[^<>@\s]+$|^[^<>]*<[^<>@\s]+@[^<>@\s]+>$/, "must be an address, e.g. alerts@example.com or Sentinela <alerts@example.com>")
    .optional(),
  SENTINELA_DEMO: z.enum(["1"]).optional(),
  // The embedded default's internal ports (lib/demo/demo-ports.ts). Set: used as is, or the demo stops
  // saying it is taken. Unset: a default outside the ephemeral range, or a free one.
  SENTINELA_DB_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SENTINELA_SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SENTINELA_AUTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SENTINELA_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SENTINELA_INBOX_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SENTINELA_WAHA_SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SENTINELA_ZAPI_SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SENTINELA_CLOUD_API_SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Configuration error: ${variable} ${detail}`);
    this.name = "EnvError";
  }
}

let cached: Env | undefined;

function blankToUndefined(source: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = source[key];
    out[key] = value === undefined || value.trim() === "" ? undefined : value.trim();
  }
  return out;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(blankToUndefined(source));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(String(issue.path[0] ?? "environment"), issue.message);
  }
  return result.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** A value the caller cannot work without: absent means misconfigured, never an empty default. */
export function requireEnv<K extends keyof Env>(key: K): NonNullable<Env[K]> {
  const value = env()[key];
  if (value === undefined || value === null) throw new EnvError(key, "is not set");
  return value as NonNullable<Env[K]>;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
