import { parseArgs, type ParseArgsConfig } from "node:util";
import { showEscaped } from "@/lib/text/plain-text";

/** Bad arguments: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `Usage: sentinela <command>

  migrate                                  apply supabase/migrations to the database
  seed --demo                              load the demo tenants, users and channels
  tenant add --slug SLUG --name NAME       create a tenant
  channel add --tenant SLUG --provider evolution|waha --url URL --instance NAME --api-key KEY
              [--client-token TOKEN] [--waba-id ID] [--app-secret SECRET] [--name TEXT] [--phone E164]
              [--downstream-url URL] [--downstream-header K=V]… [--webhook-mode adopt|manage|off]
                                           (--instance: Evolution instance, WAHA session;
                                           --api-key: Evolution global key or instance token, WAHA X-Api-Key)
  channel edit ID [--provider KIND] [--url URL] [--instance NAME] [--api-key KEY] [--client-token TOKEN]
              [--waba-id ID] [--app-secret SECRET] [--name TEXT] [--phone E164] [--downstream-url URL]
              [--downstream-header K=V]… [--webhook-mode adopt|manage|off]
                                           (changing --provider, --url or --instance requires --api-key;
                                           --downstream-url "" removes the downstream)
  channel list [--json]
  channel remove ID
  import evolution|waha|cloud-api --url URL --api-key KEY --tenant SLUG [--waba-id ID] [--match REGEX]
              [--dry-run] [--json]         add a gateway's instances (WAHA: sessions; Cloud API: the
                                           phone numbers of the WhatsApp Business Account --waba-id) as
                                           channels (KEY: Evolution's global key, WAHA's X-Api-Key, the
                                           Cloud API's access token)
  alerts add --tenant SLUG (--email ADDR | --webhook URL [--slack] | --whatsapp-to E164)
              [--channels ID,…] [--states s1,s2] [--language pt-BR|en] [--quiet-hours HH:MM-HH:MM]
              [--name TEXT]                add an alert contact (a webhook's signing secret is shown once)
  alerts sender --tenant SLUG --channel ID the channel WhatsApp alerts are sent from
  alerts list [--tenant SLUG] [--json]
  alerts remove ID
  alerts test ID                           send the contact a test alert now
  monitor --once [--all] [--json]          run one monitor pass now
  monitor --every 30s                      keep running passes (the self-hosted runner; 10s to 24h)
  simulator [--port N]                     run the Evolution API simulator

Uses DATABASE_URL, or the embedded database under .data/ when it is not set.`;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs, with every complaint turned into a UsageError that names the problem. */
export function parseCommandArgs<T extends Options>(args: string[], options: T, positionals = 0) {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

export function requireOption(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value.trim();
}

/**
 * `--every`'s bounds. The floor is MONITOR_INTERVAL_SECONDS's; the ceiling keeps the wait far below
 * setTimeout's 2^31-1 ms, past which Node fires after 1 ms (`40000m` once ran 3,411 passes in 10 s).
 */
export const EVERY_MIN_MS = 10_000;
export const EVERY_MAX_MS = 24 * 3_600_000;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "30s", "2m", "1h", "90" (seconds) → milliseconds, between 10 s and 24 h. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`"${showEscaped(text)}" is not a duration (try 30s, 2m or 1h)`);
  const ms = Number(match[1]) * UNIT_MS[(match[2] ?? "s") as keyof typeof UNIT_MS];
  if (!(ms >= EVERY_MIN_MS && ms <= EVERY_MAX_MS)) {
    throw new UsageError(`--every must be between 10s and 24h (got ${text.trim()})`);
  }
  return ms;
}
