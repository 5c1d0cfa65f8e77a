import { parseSimulatorArgs, runSimulator, UsageError as SimulatorUsageError } from "@/dev/evolution-simulator/main";
import { UsageError } from "@/cli/usage";

/** `sentinela simulator [--port N]`: the Evolution API simulator, until Ctrl-C. */
export async function simulatorCommand(args: string[]): Promise<void> {
  let options;
  try {
    options = parseSimulatorArgs(args);
  } catch (error) {
    if (error instanceof SimulatorUsageError) throw new UsageError(error.message);
    throw error;
  }
  const simulator = await runSimulator(options);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await simulator.stop();
}
