import { getSql } from "@/lib/db/client";
import { insertTenant, TenantSlugTakenError } from "@/lib/db/tenants";
import { isValidTimeZone } from "@/lib/monitor/time-zone";
import { hasForbiddenCharacters, showEscaped } from "@/lib/text/plain-text";
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
    throw new UsageError(`--slug "${showEscaped(slug)}" must be lowercase letters, digits and dashes (2–63 characters)`);
  }
  const name = requireOption(values, "name");
  if (hasForbiddenCharacters(name)) {
    throw new UsageError(`--name "${showEscaped(name)}" cannot contain control or bidirectional-override characters`);
  }
  if (name.length > 120) throw new UsageError("--name is too long (120 characters at most)");
  if (values.timezone !== undefined && !isValidTimeZone(values.timezone)) {
    throw new UsageError(`--timezone "${showEscaped(values.timezone)}" is not a known IANA time zone (e.g. America/Sao_Paulo, UTC)`);
  }
  const tenant = await insertTenant(await getSql(), { slug, name, timezone: values.timezone }).catch((error) => {
    throw error instanceof TenantSlugTakenError ? new UsageError(error.message) : error;
  });
  console.log(`tenant ${tenant.slug} created (${tenant.id})`);
}
