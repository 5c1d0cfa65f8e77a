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
  monitor: async () => (await import("@/cli/commands/monitor")).monitorCommand,
  simulator: async () => (await import("@/cli/commands/simulator")).simulatorCommand,
};

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
      console.error(`sentinela ${name}: ${error.message}`);
      return 2;
    }
    if (error instanceof EnvError) {
      console.error(`sentinela ${name}: ${error.message}`);
      return 1;
    }
    console.error(`sentinela ${name} failed:`, error instanceof Error ? error.message : error);
    return 1;
  } finally {
    await closeSql();
  }
}

process.exitCode = await main(process.argv.slice(2));
