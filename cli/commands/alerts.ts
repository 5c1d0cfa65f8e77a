import { ContactInputError, type RawContactInput } from "@/lib/alerts/contact-input";
import { addAlertContact, removeAlertContact, sendTestAlert } from "@/lib/alerts/manage-contacts";
import { deliverConfiguredAlerts } from "@/lib/alerts/runtime";
import { ALERT_STATES } from "@/lib/alerts/types";
import { AlertContactNotFoundError, listAlertContacts, type AlertContactRow } from "@/lib/db/alert-contacts";
import { setAlertSenderChannel } from "@/lib/db/alert-sender";
import { getSql, type Db } from "@/lib/db/client";
import { findTenantBySlug, TenantNotFoundError } from "@/lib/db/tenants";
import { channelSecretKey } from "@/lib/local-secrets";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import type { ProviderKind } from "@/lib/providers/types";
import { showEscaped } from "@/lib/text/plain-text";
import { parseCommandArgs, requireOption, UsageError } from "@/cli/usage";

/**
 * `sentinela alerts add|sender|list|remove|test` (DESIGN.md). A thin adapter over lib/alerts: bad
 * arguments, a refused webhook address or an unknown id exit 2 with one line; a test alert that could not
 * be delivered exits 1 saying why. Webhook URLs are never printed back; a new signing secret is, once.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function alertsCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === "add") return add(rest);
  if (sub === "sender") return sender(rest);
  if (sub === "list") return list(rest);
  if (sub === "remove") return remove(rest);
  if (sub === "test") return test(rest);
  throw new UsageError(`unknown alerts command "${showEscaped(sub ?? "")}" (expected: add, sender, list, remove, test)`);
}

async function tenantOf(db: Db, slug: string) {
  return findTenantBySlug(db, slug).catch((error) => {
    throw error instanceof TenantNotFoundError ? new UsageError(error.message) : error;
  });
}

function splitList(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const items = value.split(",").map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : null;
}

async function add(args: string[]) {
  const { values } = parseCommandArgs(args, {
    tenant: { type: "string" },
    email: { type: "string" },
    webhook: { type: "string" },
    slack: { type: "boolean" },
    "whatsapp-to": { type: "string" },
    channels: { type: "string" },
    states: { type: "string" },
    language: { type: "string" },
    "quiet-hours": { type: "string" },
    name: { type: "string" },
  });
  const slug = requireOption(values, "tenant");
  const ways = (["email", "webhook", "whatsapp-to"] as const).filter((option) => values[option] !== undefined);
  if (ways.length !== 1) throw new UsageError("give exactly one of --email ADDR, --webhook URL or --whatsapp-to E164");
  if (values.slack && values.webhook === undefined) throw new UsageError("--slack goes with --webhook URL");
  const channelIds = splitList(values.channels);
  const badId = channelIds?.find((id) => !UUID.test(id));
  if (badId !== undefined) throw new UsageError(`--channels: "${showEscaped(badId)}" is not a channel id`);
  const states = splitList(values.states);
  const badState = states?.find((state) => !(ALERT_STATES as readonly string[]).includes(state));
  if (badState !== undefined) throw new UsageError(`--states: "${showEscaped(badState)}" is not a state (${ALERT_STATES.join(", ")})`);
  if (values.language !== undefined && values.language !== "pt-BR" && values.language !== "en") {
    throw new UsageError(`--language must be pt-BR or en (got "${showEscaped(values.language)}")`);
  }

  const kind = values.email !== undefined ? "email" : values["whatsapp-to"] !== undefined ? "whatsapp" : values.slack ? "slack" : "webhook";
  const target = values.email ?? values["whatsapp-to"] ?? null;
  const webhookUrl = values.webhook ?? null;
  const defaultName = target ?? (URL.canParse(webhookUrl ?? "") ? `${kind === "slack" ? "Slack" : "Webhook"} ${new URL(webhookUrl!).host}` : kind);
  const raw: RawContactInput = {
    name: values.name ?? defaultName,
    kind,
    target,
    webhookUrl,
    channelIds,
    states,
    language: (values.language ?? "pt-BR") as "pt-BR" | "en",
    quietHours: values["quiet-hours"] ?? null,
  };

  const sql = await getSql();
  const tenant = await tenantOf(sql, slug);
  if (channelIds) {
    const found = await sql<{ id: string }[]>`select id from public.channels where tenant_id = ${tenant.id} and id = any(${channelIds}::uuid[])`;
    const missing = channelIds.find((id) => !found.some((row) => row.id === id.toLowerCase()));
    if (missing) throw new UsageError(`--channels: ${missing} is not a channel of ${tenant.slug}`);
  }
  try {
    const created = await addAlertContact({ db: sql, secretKey: channelSecretKey() }, tenant.id, raw);
    console.log(`alert contact ${showEscaped(raw.name ?? "")} (${kind}) added to ${tenant.slug} (${created.id})`);
    if (created.signingSecret) {
      console.log(`signing secret (shown once; x-sentinela-signature, see README): ${created.signingSecret}`);
    }
  } catch (error) {
    if (error instanceof ContactInputError) throw new UsageError(`--${flagOf(error.field, kind)}: ${error.message}`);
    throw error;
  }
}

function flagOf(field: string, kind: string): string {
  if (field === "target") return kind === "email" ? "email" : "whatsapp-to";
  if (field === "webhookUrl") return "webhook";
  if (field === "quietHours") return "quiet-hours";
  if (field === "channelIds") return "channels";
  return field;
}

async function sender(args: string[]) {
  const { values } = parseCommandArgs(args, { tenant: { type: "string" }, channel: { type: "string" } });
  const slug = requireOption(values, "tenant");
  const channelId = requireOption(values, "channel");
  if (!UUID.test(channelId)) throw new UsageError(`--channel "${showEscaped(channelId)}" is not a channel id`);
  const sql = await getSql();
  const tenant = await tenantOf(sql, slug);
  const [channel] = await sql<{ name: string; provider: ProviderKind }[]>`
    select display_name as name, provider from public.channels where id = ${channelId} and tenant_id = ${tenant.id}
  `;
  if (!channel) throw new UsageError(`--channel ${channelId} is not a channel of ${tenant.slug}`);
  // Any gateway kind whose adapter sends text (Evolution, WAHA, Z-API, Cloud API): traits.ts says which.
  const traits = PROVIDER_TRAITS[channel.provider];
  if (!traits.capabilities.sendText) throw new UsageError(`--channel ${channelId} is a ${traits.label} channel, which cannot send WhatsApp alerts`);
  await setAlertSenderChannel(sql, tenant.id, channelId);
  console.log(`WhatsApp alerts of ${tenant.slug} go out from ${channel.name} (${channelId}, ${traits.label})`);
  if (channel.provider === "cloud-api") {
    console.log("note: a Cloud API line sends free text only to contacts who wrote to its number in the last 24 hours; other alerts fail (Graph error 131047)");
  }
}

function describe(row: AlertContactRow): Record<string, unknown> {
  return {
    id: row.id,
    tenantSlug: row.tenantSlug,
    name: row.name,
    kind: row.kind,
    // Webhook kinds: the URL is a secret and is never shown; only whether one is stored.
    target: row.target,
    webhookUrlSet: row.kind === "webhook" || row.kind === "slack" ? row.hasUrl : undefined,
    channels: row.channelIds ?? "all",
    states: row.states ?? "all",
    language: row.language,
    quietHours: row.quietStart && row.quietEnd ? `${row.quietStart}-${row.quietEnd}` : null,
    criticalOverridesQuiet: row.criticalOverridesQuiet,
    enabled: row.enabled,
  };
}

async function list(args: string[]) {
  const { values } = parseCommandArgs(args, { tenant: { type: "string" }, json: { type: "boolean" } });
  const sql = await getSql();
  const tenant = values.tenant !== undefined ? await tenantOf(sql, requireOption(values, "tenant")) : null;
  const rows = await listAlertContacts(sql, { tenantId: tenant?.id });
  if (values.json) {
    console.log(JSON.stringify(rows.map(describe), null, 2));
    return;
  }
  if (rows.length === 0) {
    console.log("no alert contacts");
    return;
  }
  for (const row of rows) {
    const what = row.target ?? (row.hasUrl ? "••••" : "(no URL)");
    const scope = `${row.channelIds ? `${row.channelIds.length} channel(s)` : "all channels"}, ${row.states ? row.states.join("/") : "all states"}`;
    const quiet = row.quietStart ? `, quiet ${row.quietStart}-${row.quietEnd}${row.criticalOverridesQuiet ? " (critical overrides)" : ""}` : "";
    console.log(`${row.id}  ${row.tenantSlug}  ${row.kind.padEnd(8)} ${showEscaped(row.name)} <${what}>  ${row.language}, ${scope}${quiet}${row.enabled ? "" : ", disabled"}`);
  }
}

function idArgument(args: string[]): string {
  const { positionals } = parseCommandArgs(args, {}, 1);
  const id = positionals[0];
  if (!id) throw new UsageError("give the contact's id (sentinela alerts list shows them)");
  if (!UUID.test(id)) throw new UsageError(`"${showEscaped(id)}" is not a contact id`);
  return id;
}

function notFoundIsUsage(error: unknown): never {
  throw error instanceof AlertContactNotFoundError ? new UsageError(error.message) : error;
}

async function remove(args: string[]) {
  const id = idArgument(args);
  await removeAlertContact(await getSql(), id).catch(notFoundIsUsage);
  console.log(`alert contact ${id} removed`);
}

async function test(args: string[]) {
  const id = idArgument(args);
  const sql = await getSql();
  const result = await sendTestAlert(sql, id, (ids) => deliverConfiguredAlerts({ budgetMs: 30_000, ids })).catch(notFoundIsUsage);
  if (result.status === "sent") {
    console.log(`test alert ${result.id} sent to contact ${id}`);
    return;
  }
  // Not delivered: a failure (or a retry left queued) is an error of this command, in one line.
  const why = result.lastError ?? result.summary.error ?? result.status;
  throw new Error(`test alert ${result.id} not delivered: ${why}${result.status === "pending" ? " (it will be retried)" : ""}`);
}
