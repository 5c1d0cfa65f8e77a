import type { Db } from "@/lib/db/client";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import {
  applyImport,
  listGatewayForImport,
  readImportWebhooks,
  type ImportDeps,
  type Importer,
} from "@/lib/import/import-gateway";
import { ImportInputError } from "@/lib/import/name-pattern";
import type { ImportRow, ImportTenant } from "@/lib/import/plan-import";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import {
  isProviderKind,
  NotGlobalKeyError,
  PROVIDER_KINDS,
  ProviderError,
  type Provider,
  type ProviderKind,
} from "@/lib/providers/types";

/**
 * The dashboard's "Import from gateway" form (tenant admins on /channels/import, platform staff on
 * /admin/import): read what was submitted, preview or add, and answer a state the form renders. What
 * must stay true: the key is never sent back (the browser keeps what was typed), and the tokens added
 * come from a listing made on the server in the same request, never from the browser.
 */

/** A message key from the root of messages/*.json, with its values. */
export interface MessageRef {
  key: string;
  values?: Record<string, string | number>;
}

export type ImportField = "provider" | "gatewayUrl" | "apiKey" | "wabaId" | "match" | "tenant";

export interface ImportPreviewRow {
  name: string;
  phone: string | null;
  state: ImportRow["state"];
  webhookUrl: string | null;
  webhookUnreadable: boolean;
  action: ImportRow["action"];
  reason: ImportRow["reason"] | null;
  tenantName: string;
}

export interface ImportFormState {
  errors: Partial<Record<ImportField, MessageRef>>;
  formError?: MessageRef;
  preview?: { gatewayUrl: string; listed: number; rows: ImportPreviewRow[] };
  result?: { added: number; skipped: number };
}

export const EMPTY_IMPORT_FORM: ImportFormState = { errors: {} };

export interface ImportSubmission {
  intent: "preview" | "add";
  /** The gateway kind, as submitted: only kinds that can list their sessions are accepted. */
  provider: string;
  gatewayUrl: string;
  apiKey: string;
  /** Cloud API: the WhatsApp Business Account whose phone numbers are listed; blank for other kinds. */
  wabaId: string;
  /** Name pattern → tenant id, in order; a blank pattern matches every instance. */
  rules: { pattern: string; tenantId: string }[];
  /** The instances ticked in the preview (intent "add"). */
  selected: string[];
}

const text = (data: FormData, name: string) => {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
};

/** Rules come as parallel `rulePattern` / `ruleTenant` fields; rows with neither are ignored. */
export function readImportForm(data: FormData): ImportSubmission {
  const patterns = data.getAll("rulePattern").map(String);
  const tenants = data.getAll("ruleTenant").map(String);
  const rules = tenants
    .map((tenantId, index) => ({ pattern: (patterns[index] ?? "").trim(), tenantId: tenantId.trim() }))
    .filter((rule) => rule.tenantId !== "");
  return {
    intent: text(data, "intent") === "add" ? "add" : "preview",
    // A form without the choice (an older page still open) meant Evolution, the only kind it offered.
    provider: text(data, "provider").trim() || "evolution",
    gatewayUrl: text(data, "gatewayUrl").trim(),
    apiKey: text(data, "apiKey").trim(),
    wabaId: text(data, "wabaId").trim(),
    rules,
    selected: data.getAll("select").map(String),
  };
}

async function resolveTenants(db: Db, ids: string[]): Promise<Map<string, ImportTenant>> {
  const rows = await db<ImportTenant[]>`select id, slug, name from public.tenants where id = any(${ids}::uuid[])`;
  return new Map(rows.map((row) => [row.id, row]));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Previews (lists, plans, reads webhooks) or adds the ticked instances. `importer` must carry the
 * signed-in user's claims; tenants are read as that user, so a tenant they cannot see is no tenant.
 */
export async function submitImportForm(
  formDeps: ImportFormDeps,
  importer: Extract<Importer, { claims: VerifiedClaims }>,
  submission: ImportSubmission,
): Promise<ImportFormState> {
  const kind = submission.provider;
  if (!isImportableKind(kind)) return { errors: { provider: { key: "import.errors.provider.invalid" } } };
  const deps: ImportDeps = { sql: formDeps.sql, provider: formDeps.providers[kind], secretKey: formDeps.secretKey };
  const ids = [...new Set(submission.rules.map((rule) => rule.tenantId))];
  if (ids.length === 0 || !ids.every((id) => UUID.test(id))) return { errors: { tenant: { key: "import.errors.tenant.required" } } };
  const tenants = await runAsUser(deps.sql, importer.claims, (tx) => resolveTenants(tx, ids));
  if (tenants.size !== ids.length) return { errors: {}, formError: { key: "import.errors.forbidden" } };
  const rules = submission.rules.map((rule) => ({ pattern: rule.pattern || null, tenant: tenants.get(rule.tenantId)! }));

  try {
    const listed = await listGatewayForImport(deps, importer, {
      gatewayUrl: submission.gatewayUrl, apiKey: submission.apiKey, rules, wabaId: submission.wabaId || null,
    });
    if (listed.status !== "listed") return { errors: {}, formError: { key: "import.errors.forbidden" } };
    const { listing } = listed;
    const preview = () => ({ gatewayUrl: listing.plan.gatewayUrl, listed: listing.plan.listed, rows: listing.plan.rows.map(previewRow) });
    if (submission.intent === "preview") {
      await readImportWebhooks(deps, listing);
      return { errors: {}, preview: preview() };
    }
    const selected = new Set(submission.selected);
    if (!listing.plan.rows.some((row) => row.action === "add" && selected.has(row.name))) {
      return { errors: {}, formError: { key: "import.errors.nothingSelected" }, preview: preview() };
    }
    const applied = await applyImport(deps, importer, listing, { only: selected });
    if (applied.status !== "applied") return { errors: {}, formError: { key: "import.errors.forbidden" } };
    return { errors: {}, result: { added: applied.added, skipped: applied.skipped } };
  } catch (error) {
    return describeImportFailure(error, kind);
  }
}

/** What the form's action wires: the registry, from which the submitted kind's adapter is taken. */
export interface ImportFormDeps {
  sql: ImportDeps["sql"];
  providers: Record<ProviderKind, Provider>;
  secretKey: string;
}

/** Kinds whose gateways list their sessions (lib/providers/traits.ts): what the form offers. */
export const IMPORTABLE_KINDS: readonly ProviderKind[] = PROVIDER_KINDS.filter((kind) => PROVIDER_TRAITS[kind].capabilities.importSessions);

export function isImportableKind(value: string): value is ProviderKind {
  return isProviderKind(value) && PROVIDER_TRAITS[value].capabilities.importSessions;
}

function previewRow(row: ImportRow): ImportPreviewRow {
  return {
    name: row.name,
    phone: row.phone,
    state: row.state,
    webhookUrl: row.webhookUrl ?? null,
    webhookUnreadable: row.webhookUnreadable === true,
    action: row.action,
    reason: row.reason ?? null,
    tenantName: row.tenant.name,
  };
}

const REFUSAL_KEY: Record<string, string> = {
  loopback: "manage.errors.gatewayUrl.loopback",
  private: "manage.errors.gatewayUrl.private",
  "link-local": "manage.errors.gatewayUrl.linkLocal",
  metadata: "manage.errors.gatewayUrl.metadata",
  scheme: "manage.errors.gatewayUrl.invalid",
  redirect: "import.errors.gatewayUrl.redirect",
};

/** Every failure an import can meet, as what the form shows; anything else is a bug and is thrown on. */
export function describeImportFailure(error: unknown, kind: ProviderKind = "evolution"): ImportFormState {
  if (error instanceof ImportInputError) return { errors: { [error.field]: { key: `import.errors.${error.field}.${error.code}` } } };
  if (error instanceof NotGlobalKeyError) {
    return {
      errors: {
        apiKey: error.instanceName === null
          ? { key: "import.errors.apiKey.notGlobal" }
          : { key: "import.errors.apiKey.instanceToken", values: { instance: error.instanceName } },
      },
    };
  }
  if (error instanceof ProviderError && error.detail.refused) {
    return { errors: { gatewayUrl: { key: REFUSAL_KEY[error.detail.refused.reason] ?? "manage.errors.gatewayUrl.notPublic" } } };
  }
  if (error instanceof ProviderError && error.kind === "misconfigured" && PROVIDER_TRAITS[kind].credentials.wabaId) {
    // Graph's code 100 names the account (unknown, or not the token's to read); 190 the token.
    return { errors: error.detail.notFound ? { wabaId: { key: "import.errors.wabaId.notFound" } } : { apiKey: { key: "import.errors.apiKey.tokenRefused" } } };
  }
  if (error instanceof ProviderError) {
    const key = error.kind === "provider_down" ? "import.errors.unreachable" : "import.errors.unreadable";
    return { errors: {}, formError: { key, values: { status: error.detail.status ?? "-", gateway: PROVIDER_TRAITS[kind].label } } };
  }
  throw error;
}
