import { getSql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { parseCommandArgs } from "@/cli/usage";

export async function migrateCommand(args: string[]): Promise<void> {
  parseCommandArgs(args, {});
  const result = await migrate(await getSql());
  for (const name of result.applied) console.log(`applied ${name}`);
  console.log(`${result.applied.length} applied, ${result.skipped} already applied`);
}
