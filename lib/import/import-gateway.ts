import { randomBytes } from "node:crypto";
import pMap from "p-map";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Db, Sql } from "@/lib/db/client";
import { channelsAtGateway, insertImportedChannels, recordGatewayKey, type ImportedChannel } from "@/lib/db/imports";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import { compileNamePattern, ImportInputError } from "@/lib/import/name-pattern";
import { maskWebhookUrl, planImport, type ImportPlan, type ImportRow, type ImportTenant } from "@/lib/import/plan-import";
import { canonicalGatewayUrl, describeUrlRefusal } from "@/lib/net/canonical-origin";
import { credentialProblems, PROVIDER_TRAITS } from "@/lib/providers/traits";
import { ProviderError, type Provider, type ProviderKind } from "@/lib/providers/types";
import { hasForbiddenCharacters } from "@/lib/text/plain-text";

/**
 * Importing a gateway's instances as channels: list them with the gateway's global key, plan, then add.
 * Who imports decides where it is written and what may be stored (what must stay true):
 * - operator (the CLI): service path; the gateway is the tenant's own when every instance goes to one
 *   tenant, the platform's otherwise; an instance without a token uses the gateway's global key.
 * - platform_staff (/admin): shown to be staff in their own transaction first, then the service path;
 *   the gateway is the platform's; instances may go to any tenant, by name pattern.
 * - tenant_admin (the dashboard): everything as the user, so RLS decides; the gateway is their tenant's;
 *   a user may not let a channel use a gateway's key, so an instance without a token gets the global
 *   key as its own (sealed, bound to that instance like any key an admin types).
 * The gateway URL is one a person typed: the provider's outbound guard vets every call to it.
 */

export type Importer =
  | { kind: "operator" }
  | { kind: "platform_staff"; claims: VerifiedClaims }
  | { kind: "tenant_admin"; claims: VerifiedClaims };

export interface ImportDeps {
  sql: Sql;
  provider: Provider;
  secretKey: string;
}

export interface ImportRequest {
  gatewayUrl: string;
  apiKey: string;
  /** Name pattern (a regular expression; null: every instance) → tenant. The first rule that matches wins. */
  rules: readonly { pattern: string | null; tenant: ImportTenant }[];
  /** Cloud API: the WhatsApp Business Account whose phone numbers are listed (required there, refused elsewhere). */
  wabaId?: string | null;
}

/** Holds the gateway's key and every instance token: server-side only. Show `plan`, never this. */
export interface ImportListing {
  plan: ImportPlan;
  /** Every tenant a rule names, whether or not an instance matched. */
  tenantIds: readonly string[];
  provider: ProviderKind;
  apiKey: string;
  tokens: ReadonlyMap<string, string>;
  /** Cloud API: the account listed; each channel added keeps it (channels.waba_id). */
  wabaId: string | null;
}

export interface ImportResult {
  gatewayId: string;
  /** The rows applied (all, or those selected), each with its outcome: `add` ones carry their new channelId. */
  rows: ImportRow[];
  added: number;
  skipped: number;
}

type Forbidden = { status: "forbidden" };

const WEBHOOK_READS_AT_ONCE = 10;

function validateRequest(kind: ProviderKind, request: ImportRequest) {
  const canonical = canonicalGatewayUrl(request.gatewayUrl);
  if (!canonical.ok) throw new ImportInputError(`gateway URL ${describeUrlRefusal(canonical.reason)}`, "gatewayUrl");
  const apiKey = request.apiKey.trim();
  if (apiKey.length < 8) throw new ImportInputError("the gateway's global key is required (it looks too short)", "apiKey", "required");
  if (apiKey.length > 500 || hasForbiddenCharacters(apiKey)) {
    throw new ImportInputError("the gateway's global key is too long or has control characters", "apiKey");
  }
  if (request.rules.length === 0) throw new ImportInputError("no tenant to import into", "tenant", "required");
  const wabaId = request.wabaId?.trim() || null;
  const [problem] = credentialProblems(kind, { wabaId });
  if (problem?.field === "wabaId") throw new ImportInputError(problem.message, "wabaId", problem.problem === "missing" ? "required" : "invalid");
  if (wabaId !== null && !/^[0-9]{1,30}$/.test(wabaId)) {
    throw new ImportInputError("the WhatsApp Business Account id is its number id (digits only)", "wabaId");
  }
  const rules = request.rules.map((rule) => ({
    match: rule.pattern === null || rule.pattern.trim() === "" ? null : compileNamePattern(rule.pattern),
    tenant: rule.tenant,
  }));
  return { gatewayUrl: canonical.url, apiKey, rules, wabaId };
}

/** Whether the importer may import into these tenants, asked of the database as the user. */
async function mayImport(sql: Sql, importer: Importer, tenantIds: readonly string[]): Promise<boolean> {
  if (importer.kind === "operator") return true;
  return runAsUser(sql, importer.claims, async (tx) => {
    if (importer.kind === "platform_staff") {
      const [{ staff }] = await tx<{ staff: boolean }[]>`select public.is_platform_admin() as staff`;
      return staff;
    }
    const [{ admin }] = await tx<{ admin: boolean }[]>`
      select coalesce(bool_and(public.is_tenant_admin(id)), false) as admin from unnest(${[...new Set(tenantIds)]}::uuid[]) as t(id)
    `;
    return admin;
  });
}

/** Inside the importer's transaction: the service path's, or the user's own (RLS). */
function inTransaction<T>(deps: ImportDeps, importer: Importer, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (importer.kind === "tenant_admin") return runAsUser(deps.sql, importer.claims, fn);
  return deps.sql.begin((tx) => fn(tx)) as Promise<T>;
}

/**
 * Lists the gateway and plans the import. Throws ImportInputError for what was typed, NotGlobalKeyError
 * when the key is not the global key, ProviderError when the gateway is refused or cannot be read.
 * Authorization comes before any call to the URL: the server calls a URL only for someone allowed to.
 */
export async function listGatewayForImport(
  deps: ImportDeps,
  importer: Importer,
  request: ImportRequest,
): Promise<Forbidden | { status: "listed"; listing: ImportListing }> {
  const valid = validateRequest(deps.provider.kind, request);
  const tenantIds = [...new Set(valid.rules.map((rule) => rule.tenant.id))];
  if (!(await mayImport(deps.sql, importer, tenantIds))) return { status: "forbidden" };
  if (!deps.provider.listInstances) throw new ImportInputError(`${deps.provider.kind} gateways cannot list their instances`, "gatewayUrl");

  const instances = await deps.provider.listInstances({
    baseUrl: valid.gatewayUrl, apiKey: valid.apiKey, ...(valid.wabaId ? { wabaId: valid.wabaId } : {}),
  });
  const existing = importer.kind === "tenant_admin"
    ? await runAsUser(deps.sql, importer.claims, (tx) => channelsAtGateway(tx, valid.gatewayUrl))
    : await channelsAtGateway(deps.sql, valid.gatewayUrl);
  const plan = planImport({ gatewayUrl: valid.gatewayUrl, instances, existing, rules: valid.rules });
  const tokens = new Map(instances.flatMap((instance) => (instance.token ? [[instance.name, instance.token] as const] : [])));
  return { status: "listed", listing: { plan, tenantIds, provider: deps.provider.kind, apiKey: valid.apiKey, tokens, wabaId: valid.wabaId } };
}

/**
 * Fills in the current webhook (origin + path) of every instance the plan would add, a few at a time.
 * A webhook that cannot be read is marked so; it never stops the import.
 */
export async function readImportWebhooks(deps: ImportDeps, listing: ImportListing, concurrency = WEBHOOK_READS_AT_ONCE): Promise<void> {
  const rows = listing.plan.rows.filter((row) => row.action === "add");
  const provider = deps.provider;
  if (!provider.getWebhook) return;
  await pMap(rows, async (row) => {
    try {
      const webhook = await provider.getWebhook?.({ baseUrl: listing.plan.gatewayUrl, instanceName: row.name, apiKey: listing.apiKey }) ?? null;
      const masked = webhook ? maskWebhookUrl(webhook.url) : null;
      row.webhookUrl = masked;
      if (webhook && masked === null && webhook.url !== "") row.webhookUnreadable = true;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      row.webhookUrl = null;
      row.webhookUnreadable = true;
    }
  }, { concurrency });
}

/**
 * Adds the planned channels (all `add` rows, or those named in `only`) in one transaction, recording
 * the gateway with its global key first. Idempotent: an instance that became a channel meanwhile is
 * skipped. The caller lists right before: tokens and the key come from that listing, never from a client.
 */
export async function applyImport(
  deps: ImportDeps,
  importer: Importer,
  listing: ImportListing,
  options: { only?: ReadonlySet<string> } = {},
): Promise<Forbidden | ({ status: "applied" } & ImportResult)> {
  const rows = listing.plan.rows.filter((row) => !options.only || options.only.has(row.name)).map((row) => ({ ...row }));
  if (!(await mayImport(deps.sql, importer, listing.tenantIds))) return { status: "forbidden" };

  const owner = gatewayOwner(importer, listing.tenantIds);
  const sealedGlobalKey = encryptSecret(listing.apiKey, deps.secretKey);
  const channels = rows.filter((row) => row.action === "add").map((row) => importedChannel(deps, importer, listing, row, sealedGlobalKey));

  const { gatewayId, added } = await inTransaction(deps, importer, async (tx) => {
    const gateway = await recordGatewayKey(tx, {
      provider: listing.provider, baseUrl: listing.plan.gatewayUrl, ownerTenantId: owner, globalKeyCiphertext: sealedGlobalKey,
    });
    const as = importer.kind === "tenant_admin" ? "tenant_admin" : "service";
    return { gatewayId: gateway.id, added: await insertImportedChannels(tx, { ...gateway, provider: listing.provider }, channels, as) };
  });

  for (const row of rows) {
    if (row.action !== "add") continue;
    const id = added.get(row.name);
    if (id) row.channelId = id;
    else Object.assign(row, { action: "skip", reason: "already_added" });
  }
  return { status: "applied", gatewayId, rows, added: added.size, skipped: rows.length - added.size };
}

/** An import for one tenant records that tenant's own gateway; staff's and multi-tenant imports, the platform's. */
function gatewayOwner(importer: Importer, tenantIds: readonly string[]): string | null {
  if (importer.kind === "platform_staff") return null;
  if (tenantIds.length === 1) return tenantIds[0];
  if (importer.kind === "tenant_admin") throw new ImportInputError("a tenant admin imports into one tenant", "tenant");
  return null;
}

function importedChannel(
  deps: ImportDeps,
  importer: Importer,
  listing: ImportListing,
  row: ImportRow,
  sealedGlobalKey: string,
): ImportedChannel {
  const token = listing.tokens.get(row.name);
  // A Cloud API number has no gateway to share a key with: the access token that listed it is its own
  // credential, sealed with the channel whoever imports.
  const ownKey = !PROVIDER_TRAITS[listing.provider].capabilities.bulkStateReads || importer.kind === "tenant_admin";
  const usesGatewayKey = !token && !ownKey;
  return {
    tenantId: row.tenant.id,
    instanceName: row.name,
    // A phone number id says nothing to a person: the business's verified name (or the number) does.
    displayName: (listing.wabaId ? [row.profileName, row.phone].filter(Boolean).join(" ") || row.name : row.name).slice(0, 120),
    phoneNumber: row.phone,
    apiKeyCiphertext: token ? encryptSecret(token, deps.secretKey) : usesGatewayKey ? null : sealedGlobalKey,
    usesGatewayKey,
    wabaId: listing.wabaId,
    webhookSecretCiphertext: encryptSecret(randomBytes(24).toString("base64url"), deps.secretKey),
  };
}
