import { ContactInputError, type RawContactInput } from "@/lib/alerts/contact-input";
import type { AlertDeliverySummary } from "@/lib/alerts/deliver-outbox";
import { addAlertContact, editAlertContact, removeAlertContact, type ManageDeps } from "@/lib/alerts/manage-contacts";
import { enqueueTestAlert, readOutboxEntry } from "@/lib/db/alert-outbox";
import { AlertContactNotFoundError, listAlertContacts, type AlertContactRow } from "@/lib/db/alert-contacts";
import { setAlertSenderChannel } from "@/lib/db/alert-sender";
import type { Sql, Tx } from "@/lib/db/client";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import type { OutboundPolicy } from "@/lib/net/outbound-guard";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import type { ProviderKind } from "@/lib/providers/types";

/**
 * /settings/alerts, as the signed-in person: every read and write runs under RLS (runAsUser), so members
 * see who is alerted for what and only the tenant's admins change it, whatever the page showed. Secrets
 * never come back: the page learns only whether a webhook URL is stored. Test alerts are queued as the
 * admin (the outbox policy allows exactly that) and sent at once on the service path.
 */

export interface AlertSettingsView {
  canManage: boolean;
  contacts: (AlertContactRow & { last: LastAlert | null })[];
  channels: { id: string; name: string; state: string; provider: ProviderKind }[];
  /** The channels that may be the WhatsApp alert sender: those whose gateway can send a text (every kind today). */
  senderChoices: { id: string; name: string; state: string; provider: ProviderKind }[];
  senderChannelId: string | null;
}

export interface LastAlert {
  event: string;
  status: "pending" | "sending" | "sent" | "failed";
  at: Date;
  error: string | null;
}

export type SettingsResult<T = object> =
  | ({ status: "done" } & T)
  | { status: "invalid"; field: string; reason: string; message: string }
  | { status: "forbidden" }
  | { status: "not_found" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function isAdmin(tx: Tx, tenantId: string): Promise<boolean> {
  const [row] = await tx<{ admin: boolean }[]>`select public.is_tenant_admin(${tenantId}::uuid) as admin`;
  return row.admin;
}

export async function loadAlertSettings(sql: Sql, claims: VerifiedClaims, tenantId: string): Promise<AlertSettingsView> {
  return runAsUser(sql, claims, async (tx) => {
    const contacts = await listAlertContacts(tx, { tenantId });
    const last = await tx<(LastAlert & { contactId: string })[]>`
      select distinct on (contact_id) contact_id as "contactId", kind as event, status,
        coalesce(sent_at, created_at) as at, last_error as error
      from public.alert_outbox where tenant_id = ${tenantId}
      order by contact_id, id desc
    `;
    const channels = await tx<{ id: string; name: string; state: string; provider: ProviderKind }[]>`
      select c.id, c.display_name as name, coalesce(s.state, 'unknown') as state, c.provider
      from public.channels c left join public.channel_status s on s.channel_id = c.id
      where c.tenant_id = ${tenantId} order by c.display_name
    `;
    const [tenant] = await tx<{ sender: string | null }[]>`select alert_sender_channel_id as sender from public.tenants where id = ${tenantId}`;
    const byContact = new Map(last.map((row) => [row.contactId, row]));
    return {
      canManage: await isAdmin(tx, tenantId),
      contacts: contacts.map((contact) => {
        const row = byContact.get(contact.id);
        return { ...contact, last: row ? { event: row.event, status: row.status, at: row.at, error: row.error } : null };
      }),
      channels,
      senderChoices: channels.filter((channel) => PROVIDER_TRAITS[channel.provider].capabilities.sendText),
      senderChannelId: tenant?.sender ?? null,
    };
  });
}

function invalid(error: unknown): SettingsResult<never> {
  if (error instanceof ContactInputError) return { status: "invalid", field: error.field, reason: error.reason, message: error.message };
  if (error instanceof AlertContactNotFoundError) return { status: "not_found" };
  throw error;
}

/** Adds (contactId null) or edits a contact of `tenantId`; a new signing secret comes back once. */
export async function saveContactAsAdmin(
  sql: Sql,
  claims: VerifiedClaims,
  deps: { secretKey: string; outbound?: OutboundPolicy },
  input: { tenantId: string; contactId: string | null; raw: RawContactInput; rotateSecret: boolean },
): Promise<SettingsResult<{ id: string; signingSecret: string | null }>> {
  if (!UUID.test(input.tenantId) || (input.contactId !== null && !UUID.test(input.contactId))) return { status: "not_found" };
  return runAsUser(sql, claims, async (tx) => {
    if (!(await isAdmin(tx, input.tenantId))) return { status: "forbidden" };
    const manage: ManageDeps = { db: tx, ...deps };
    try {
      if (input.contactId === null) {
        const created = await addAlertContact(manage, input.tenantId, input.raw);
        return { status: "done", ...created };
      }
      const [owned] = await tx`select 1 from public.alert_contacts where id = ${input.contactId} and tenant_id = ${input.tenantId}`;
      if (!owned) return { status: "not_found" };
      const edited = await editAlertContact(manage, input.contactId, input.raw, { rotateSecret: input.rotateSecret });
      return { status: "done", id: input.contactId, ...edited };
    } catch (error) {
      return invalid(error);
    }
  });
}

export async function removeContactAsAdmin(sql: Sql, claims: VerifiedClaims, contactId: string): Promise<SettingsResult> {
  if (!UUID.test(contactId)) return { status: "not_found" };
  return runAsUser(sql, claims, async (tx) => {
    const [contact] = await tx<{ tenantId: string }[]>`select tenant_id as "tenantId" from public.alert_contacts where id = ${contactId}`;
    if (!contact) return { status: "not_found" };
    if (!(await isAdmin(tx, contact.tenantId))) return { status: "forbidden" };
    await removeAlertContact(tx, contactId);
    return { status: "done" };
  });
}

/** The tenant's WhatsApp alert sender, one of its own channels (the database refuses any other), or none. */
export async function chooseSenderAsAdmin(sql: Sql, claims: VerifiedClaims, tenantId: string, channelId: string | null): Promise<SettingsResult> {
  if (!UUID.test(tenantId) || (channelId !== null && !UUID.test(channelId))) return { status: "not_found" };
  return runAsUser(sql, claims, async (tx) => {
    if (!(await isAdmin(tx, tenantId))) return { status: "forbidden" };
    if (channelId !== null) {
      const [own] = await tx<{ provider: ProviderKind }[]>`select provider from public.channels where id = ${channelId} and tenant_id = ${tenantId}`;
      if (!own || !PROVIDER_TRAITS[own.provider].capabilities.sendText) return { status: "not_found" };
    }
    await setAlertSenderChannel(tx, tenantId, channelId);
    return { status: "done" };
  });
}

export interface TestOutcome {
  outboxId: string;
  status: "pending" | "sending" | "sent" | "failed";
  error: string | null;
}

/**
 * "Send a test alert": queued in the admin's own transaction (RLS refuses anyone else), then sent at
 * once by `deliver` (the service path) and read back.
 */
export async function testContactAsAdmin(
  sql: Sql,
  claims: VerifiedClaims,
  contactId: string,
  deliver: (ids: string[]) => Promise<AlertDeliverySummary>,
): Promise<SettingsResult<{ outcome: TestOutcome }>> {
  if (!UUID.test(contactId)) return { status: "not_found" };
  let queued: string | null = null;
  const allowed = await runAsUser(sql, claims, async (tx): Promise<SettingsResult> => {
    const [contact] = await tx<{ tenantId: string }[]>`select tenant_id as "tenantId" from public.alert_contacts where id = ${contactId}`;
    if (!contact) return { status: "not_found" };
    if (!(await isAdmin(tx, contact.tenantId))) return { status: "forbidden" };
    // Queued here; sending waits for the commit, so the service path sees the row.
    queued = await enqueueTestAlert(tx, { tenantId: contact.tenantId, contactId });
    return { status: "done" };
  });
  if (allowed.status !== "done" || queued === null) return allowed.status === "done" ? { status: "not_found" } : allowed;
  const summary = await deliver([queued]);
  const entry = await readOutboxEntry(sql, queued);
  return {
    status: "done",
    outcome: { outboxId: queued, status: entry?.status ?? "failed", error: entry?.lastError ?? summary.error ?? null },
  };
}
