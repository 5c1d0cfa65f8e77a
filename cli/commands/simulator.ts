import { simulatorMain } from "@/dev/evolution-simulator/main";
import { UsageError } from "@/cli/usage";

/** `sentinela simulator [--port N]`: the Evolution API simulator, until Ctrl-C. */
export async function simulatorCommand(args: string[]): Promise<void> {
  const code = await simulatorMain(args);
  if (code === 2) throw new UsageError("see the message above");
}
