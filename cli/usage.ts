import { parseArgs, type ParseArgsConfig } from "node:util";

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
  channel add --tenant SLUG --provider evolution --url URL --instance NAME --api-key KEY
              [--name TEXT] [--phone E164]
  channel list [--json]
  channel remove ID
  monitor --once [--all] [--json]          run one monitor pass now
  monitor --every 30s                      keep running passes (the self-hosted runner)
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

/** "30s", "2m", "90" (seconds) → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new UsageError(`"${text}" is not a duration (try 30s, 2m or 500ms)`);
  const value = Number(match[1]);
  const unit = match[2] ?? "s";
  const ms = unit === "ms" ? value : unit === "s" ? value * 1000 : value * 60_000;
  if (ms < 1000) throw new UsageError(`--every must be at least 1s`);
  return ms;
}
