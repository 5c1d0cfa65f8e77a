import { closeSql } from "@/lib/db/client";
import { EnvError } from "@/lib/env";
import { channelCommand } from "@/cli/commands/channel";
import { migrateCommand } from "@/cli/commands/migrate";
import { seedCommand } from "@/cli/commands/seed";
import { tenantCommand } from "@/cli/commands/tenant";
import { USAGE, UsageError } from "@/cli/usage";

type Command = (args: string[]) => Promise<void>;

const commands: Record<string, () => Promise<Command>> = {
  migrate: async () => migrateCommand,
  seed: async () => seedCommand,
  tenant: async () => tenantCommand,
  channel: async () => channelCommand,
  import: async () => (await import("@/cli/commands/import")).importCommand,
  alerts: async () => (await import("@/cli/commands/alerts")).alertsCommand,
  monitor: async () => (await import("@/cli/commands/monitor")).monitorCommand,
  simulator: async () => (await import("@/cli/commands/simulator")).simulatorCommand,
};

/** One line, whatever was thrown: the CLI never prints a stack (DESIGN.md: CLI). */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").find((line) => line.trim() !== "")?.trim() ?? (error instanceof Error ? error.name : "error");
}

/** A unique violation no command mapped itself: a plain "already exists", never the constraint's name. */
function duplicateMessage(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || (error as { code?: unknown }).code !== "23505") return undefined;
  const detail = String((error as { detail?: unknown }).detail ?? "").replace(/^Key /, "").replace(/ already exists\.?$/, "");
  return detail ? `already exists: ${oneLine(detail)}` : "that already exists";
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`sentinela: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    await (await load())(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`sentinela ${name}: ${oneLine(error)}`);
      return 2;
    }
    const duplicate = duplicateMessage(error);
    if (duplicate) {
      console.error(`sentinela ${name}: ${duplicate}`);
      return 2;
    }
    if (error instanceof EnvError) {
      console.error(`sentinela ${name}: ${oneLine(error)}`);
      return 1;
    }
    console.error(`sentinela ${name} failed: ${oneLine(error)}`);
    return 1;
  } finally {
    // Closing must not throw over the answer: with a bad configuration the pool never existed.
    await closeSql().catch(() => {});
  }
}

// Whatever escapes (a socket error after the command returned, a timer's throw) is still one line.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (error: unknown) => {
    console.error(`sentinela: ${oneLine(error)}`);
    process.exit(1);
  });
}

process.exitCode = await main(process.argv.slice(2));
