import { getSql } from "@/lib/db/client";
import { DEFAULT_DATA_DIR } from "@/lib/db/embedded";
import { expectedDemoSimulatorUrl } from "@/lib/demo/demo-ports";
import { demoCloudApiUrl, seedDemo } from "@/lib/demo/seed-demo";
import { channelSecretKey } from "@/lib/local-secrets";
import { parseCommandArgs, UsageError } from "@/cli/usage";

export async function seedCommand(args: string[]): Promise<void> {
  const { values } = parseCommandArgs(args, { demo: { type: "boolean" }, "gateway-url": { type: "string" } });
  if (!values.demo) throw new UsageError("seed needs --demo (the only data set there is)");
  const result = await seedDemo(await getSql(), {
    // Where `npm run demo` runs (or last ran) its simulator: SENTINELA_SIMULATOR_PORT, .data/, or the default.
    gatewayUrl: values["gateway-url"] ?? expectedDemoSimulatorUrl(DEFAULT_DATA_DIR),
    // The WAHA channels: where the demo runs its WAHA simulator (SENTINELA_WAHA_SIMULATOR_PORT, .data/, or the default).
    wahaUrl: expectedDemoSimulatorUrl(DEFAULT_DATA_DIR, "waha"),
    // Likewise the Z-API and Cloud API channels (SENTINELA_ZAPI_SIMULATOR_PORT, SENTINELA_CLOUD_API_SIMULATOR_PORT).
    zapiUrl: expectedDemoSimulatorUrl(DEFAULT_DATA_DIR, "zapi"),
    cloudApiUrl: demoCloudApiUrl(expectedDemoSimulatorUrl(DEFAULT_DATA_DIR, "cloudApi")),
    secretKey: channelSecretKey(),
  });
  console.log(`demo data: ${result.tenants} tenants, ${result.users} users, ${result.channelsAdded} channels added`);
}
