import { getSql } from "@/lib/db/client";
import { findTenantBySlug, TenantNotFoundError, type Tenant } from "@/lib/db/tenants";
import { env } from "@/lib/env";
import {
  applyImport,
  listGatewayForImport,
  readImportWebhooks,
  type ImportDeps,
  type ImportListing,
  type ImportResult,
} from "@/lib/import/import-gateway";
import { IMPORTABLE_KINDS, isImportableKind } from "@/lib/import/import-form";
import { ImportInputError } from "@/lib/import/name-pattern";
import { countActions, type ImportRow } from "@/lib/import/plan-import";
import { channelSecretKey } from "@/lib/local-secrets";
import { createProviders } from "@/lib/providers/registry";
import { NotGlobalKeyError, ProviderError } from "@/lib/providers/types";
import { showEscaped } from "@/lib/text/plain-text";
import { parseCommandArgs, requireOption, UsageError } from "@/cli/usage";

/**
 * `sentinela import evolution|waha|cloud-api --url URL --api-key KEY --tenant SLUG [--waba-id ID] [--match REGEX]
 * [--dry-run] [--json]`: shows what it would add, then adds it (lib/import/import-gateway.ts decides).
 * cloud-api lists the phone numbers of the WhatsApp Business Account `--waba-id` (required there) with
 * the access token `--api-key`, which each number added keeps as its own (sealed). Run as the operator:
 * the service path. Never prints a key or token; webhook URLs only as origin and path. Any kind whose
 * traits say it lists its sessions can be imported (lib/providers/traits.ts).
 */

const OPTIONS = {
  url: { type: "string" },
  "api-key": { type: "string" },
  "waba-id": { type: "string" },
  tenant: { type: "string" },
  match: { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
} as const;

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 1);
  const provider = positionals[0];
  if (provider === undefined || !isImportableKind(provider)) {
    throw new UsageError(provider === undefined
      ? `import needs a provider: import ${IMPORTABLE_KINDS.join("|")} --url URL --api-key KEY --tenant SLUG`
      : `cannot import from "${showEscaped(provider)}" (expected: ${IMPORTABLE_KINDS.join(", ")})`);
  }
  const gatewayUrl = requireOption(values, "url");
  const apiKey = requireOption(values, "api-key");
  const slug = requireOption(values, "tenant");
  const dryRun = values["dry-run"] === true;

  const sql = await getSql();
  const tenant = await findTenantBySlug(sql, slug).catch((error) => {
    throw error instanceof TenantNotFoundError ? new UsageError(error.message) : error;
  });
  const deps: ImportDeps = {
    sql,
    provider: createProviders({ timeoutMs: env().GATEWAY_TIMEOUT_MS })[provider],
    secretKey: channelSecretKey(),
  };
  const importer = { kind: "operator" } as const;

  const listed = await listGatewayForImport(deps, importer, {
    gatewayUrl, apiKey, rules: [{ pattern: values.match ?? null, tenant }], wabaId: values["waba-id"] ?? null,
  }).catch(explainFailure);
  if (listed.status !== "listed") throw new Error("not allowed to import");
  const { listing } = listed;
  await readImportWebhooks(deps, listing);

  if (!values.json) printPlan(listing, tenant, values.match);
  let result: ImportResult | null = null;
  if (!dryRun) {
    const applied = await applyImport(deps, importer, listing);
    if (applied.status !== "applied") throw new Error("not allowed to import");
    result = applied;
  }
  if (values.json) console.log(JSON.stringify(jsonReport(listing, tenant, dryRun, result), null, 2));
  else printOutcome(listing, tenant, result);
}

/** What the person typed is wrong (exit 2), or the gateway could not be read (exit 1): one line either way. */
function explainFailure(error: unknown): never {
  if (error instanceof ImportInputError) {
    throw new UsageError(error.field === "wabaId" ? `--waba-id: ${error.message}` : error.message);
  }
  if (error instanceof NotGlobalKeyError) throw new UsageError(`--api-key: ${error.message}; nothing was added`);
  if (error instanceof ProviderError && error.detail.refused) {
    throw new UsageError(`--url refused: ${error.message.replace(/^(listInstances|list phone numbers): gateway /, "")}`);
  }
  if (error instanceof ProviderError) {
    throw new Error(`could not list the gateway's instances: ${error.message.replace(/^(listInstances|list phone numbers): /, "")}`);
  }
  throw error;
}

const dash = (value: string | null | undefined) => (value ? value : "-");

function webhookText(row: ImportRow): string {
  if (row.webhookUnreadable) return "(could not read)";
  if (row.action === "skip") return row.reason === "already_added" ? `(already added${row.channelId ? `: ${row.channelId}` : ""})` : "(name not usable)";
  return dash(row.webhookUrl);
}

function printPlan(listing: ImportListing, tenant: Tenant, match: string | undefined) {
  const { plan } = listing;
  const filter = match ? `, ${plan.rows.length} match ${JSON.stringify(match)}` : "";
  console.log(`Gateway ${plan.gatewayUrl}: ${plan.listed} instance${plan.listed === 1 ? "" : "s"}${filter} (tenant ${tenant.slug})`);
  if (plan.rows.length === 0) return;
  const table = [
    ["ACTION", "NAME", "PHONE", "STATE", "WEBHOOK"],
    ...plan.rows.map((row) => [row.action, showEscaped(row.name), dash(row.phone), row.state, webhookText(row)]),
  ];
  const widths = table[0].map((_, column) => Math.max(...table.map((line) => line[column].length)));
  console.log("");
  for (const line of table) console.log(`  ${line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column]))).join("  ")}`);
  console.log("");
}

function printOutcome(listing: ImportListing, tenant: Tenant, result: ImportResult | null) {
  const counts = countActions(listing.plan.rows);
  if (!result) {
    console.log(`Dry run: would add ${counts.add} and skip ${counts.skip}; nothing was changed.`);
    return;
  }
  console.log(
    `Added ${result.added} channel${result.added === 1 ? "" : "s"} to ${tenant.slug}, skipped ${result.skipped}; ` +
      `gateway ${result.gatewayId} recorded with its global key.`,
  );
}

function jsonReport(listing: ImportListing, tenant: Tenant, dryRun: boolean, result: ImportResult | null) {
  const rows = (result?.rows ?? listing.plan.rows).map((row) => ({
    name: row.name,
    phone: row.phone,
    state: row.state,
    profileName: row.profileName,
    // Read only for instances to add; a skipped row has no webhookUrl at all, not a null "none".
    ...(row.webhookUrl !== undefined ? { webhookUrl: row.webhookUrl } : {}),
    ...(row.webhookUnreadable ? { webhookUnreadable: true } : {}),
    hasToken: row.hasToken,
    action: row.action,
    ...(row.reason ? { reason: row.reason } : {}),
    channelId: row.channelId ?? null,
  }));
  const planned = countActions(listing.plan.rows);
  return {
    provider: listing.provider,
    gatewayUrl: listing.plan.gatewayUrl,
    ...(listing.wabaId ? { wabaId: listing.wabaId } : {}),
    tenant: tenant.slug,
    dryRun,
    listed: listing.plan.listed,
    matched: listing.plan.rows.length,
    toAdd: planned.add,
    added: result?.added ?? 0,
    skipped: result ? result.skipped : planned.skip,
    gatewayId: result?.gatewayId ?? null,
    rows,
  };
}
