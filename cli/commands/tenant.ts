import { getSql } from "@/lib/db/client";
import { insertTenant } from "@/lib/db/tenants";
import { parseCommandArgs, requireOption, UsageError } from "@/cli/usage";

export async function tenantCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== "add") throw new UsageError(`unknown tenant command "${sub ?? ""}" (expected: add)`);
  const { values } = parseCommandArgs(rest, {
    slug: { type: "string" },
    name: { type: "string" },
    timezone: { type: "string" },
  });
  const slug = requireOption(values, "slug");
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) {
    throw new UsageError(`--slug "${slug}" must be lowercase letters, digits and dashes (2–63 characters)`);
  }
  const tenant = await insertTenant(await getSql(), {
    slug,
    name: requireOption(values, "name"),
    timezone: values.timezone,
  });
  console.log(`tenant ${tenant.slug} created (${tenant.id})`);
}
