import { getSql } from "@/lib/db/client";
import { seedDemo } from "@/lib/demo/seed-demo";
import { channelSecretKey } from "@/lib/local-secrets";
import { parseCommandArgs, UsageError } from "@/cli/usage";

export const DEMO_SIMULATOR_URL = "http://127.0.0.1:54330";

export async function seedCommand(args: string[]): Promise<void> {
  const { values } = parseCommandArgs(args, { demo: { type: "boolean" }, "gateway-url": { type: "string" } });
  if (!values.demo) throw new UsageError("seed needs --demo (the only data set there is)");
  const result = await seedDemo(await getSql(), {
    gatewayUrl: values["gateway-url"] ?? DEMO_SIMULATOR_URL,
    secretKey: channelSecretKey(),
  });
  console.log(`demo data: ${result.tenants} tenants, ${result.users} users, ${result.channelsAdded} channels added`);
}
