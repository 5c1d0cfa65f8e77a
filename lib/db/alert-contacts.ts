import type { ContactInput } from "@/lib/alerts/contact-input";
import type { AlertKind, AlertLanguage, AlertState } from "@/lib/alerts/types";
import type { Db } from "@/lib/db/client";

/**
 * Alert contacts (public.alert_contacts) and their sealed webhook parts (alert_contact_secrets). Every
 * function runs as whoever `db` is: in a signed-in person's transaction RLS lets members read and
 * admins write; the CLI and tests use the service path. Secrets are written here, sealed by the caller,
 * and never read back: a listing says only whether a URL and a signing secret are stored (and that only
 * to admins: the policy hides the secrets' rows from viewers, who see neither).
 */

export class AlertContactNotFoundError extends Error {
  constructor(readonly contactId: string) {
    super(`no alert contact with id ${contactId}`);
    this.name = "AlertContactNotFoundError";
  }
}

export interface AlertContactRow {
  id: string;
  tenantId: string;
  tenantSlug: string;
  name: string;
  kind: AlertKind;
  target: string | null;
  channelIds: string[] | null;
  states: AlertState[] | null;
  language: AlertLanguage;
  quietStart: string | null;
  quietEnd: string | null;
  criticalOverridesQuiet: boolean;
  enabled: boolean;
  createdAt: Date;
  hasUrl: boolean;
  hasSigningSecret: boolean;
}

export interface SealedContactSecrets {
  urlCiphertext?: string | null;
  signingSecretCiphertext?: string | null;
}

export async function listAlertContacts(db: Db, filter: { tenantId?: string; contactId?: string } = {}): Promise<AlertContactRow[]> {
  return db<AlertContactRow[]>`
    select c.id, c.tenant_id as "tenantId", t.slug as "tenantSlug", c.name, c.kind, c.target,
      c.channel_ids::text[] as "channelIds", c.states, c.language,
      to_char(c.quiet_start, 'HH24:MI') as "quietStart", to_char(c.quiet_end, 'HH24:MI') as "quietEnd",
      c.critical_overrides_quiet as "criticalOverridesQuiet", c.enabled, c.created_at as "createdAt",
      -- Whether the sealed parts are stored, read from the row's existence alone: people may not name the
      -- ciphertext columns at all (and only admins see the rows), so this reads the same for everyone.
      exists (select 1 from public.alert_contact_secrets s where s.contact_id = c.id) as "hasUrl",
      c.kind = 'webhook' and exists (select 1 from public.alert_contact_secrets s where s.contact_id = c.id) as "hasSigningSecret"
    from public.alert_contacts c join public.tenants t on t.id = c.tenant_id
    where true
      ${filter.tenantId ? db`and c.tenant_id = ${filter.tenantId}` : db``}
      ${filter.contactId ? db`and c.id = ${filter.contactId}` : db``}
    order by t.slug, c.created_at, c.id
  `;
}

export async function getAlertContact(db: Db, contactId: string): Promise<AlertContactRow> {
  const [row] = await listAlertContacts(db, { contactId });
  if (!row) throw new AlertContactNotFoundError(contactId);
  return row;
}

function columns(input: ContactInput) {
  return {
    name: input.name,
    kind: input.kind,
    target: input.target,
    channel_ids: input.channelIds,
    states: input.states,
    language: input.language,
    quiet_start: input.quietHours?.start ?? null,
    quiet_end: input.quietHours?.end ?? null,
    critical_overrides_quiet: input.criticalOverridesQuiet,
  };
}

/** Inserts the contact and, for webhook kinds, its sealed URL and secret; the new id. */
export async function insertAlertContact(db: Db, tenantId: string, input: ContactInput, secrets: SealedContactSecrets = {}): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    insert into public.alert_contacts ${db({ tenant_id: tenantId, ...columns(input) })} returning id
  `;
  if (secrets.urlCiphertext || secrets.signingSecretCiphertext) {
    await db`
      insert into public.alert_contact_secrets (contact_id, tenant_id, url_ciphertext, signing_secret_ciphertext)
      values (${row.id}, ${tenantId}, ${secrets.urlCiphertext ?? null}, ${secrets.signingSecretCiphertext ?? null})
    `;
  }
  return row.id;
}

/**
 * Replaces what a person may change (the kind stays: a webhook's secrets mean nothing to an e-mail
 * contact). A secret given replaces the stored one; one left undefined stays as it is.
 */
export async function updateAlertContact(
  db: Db,
  contact: { id: string; tenantId: string },
  input: ContactInput,
  secrets: SealedContactSecrets = {},
): Promise<void> {
  const changes: Partial<ReturnType<typeof columns>> = columns(input);
  delete changes.kind;
  const updated = await db`update public.alert_contacts set ${db(changes)} where id = ${contact.id} and tenant_id = ${contact.tenantId}`;
  if (updated.count === 0) throw new AlertContactNotFoundError(contact.id);
  const set: Record<string, string | Date> = {};
  if (secrets.urlCiphertext) set.url_ciphertext = secrets.urlCiphertext;
  if (secrets.signingSecretCiphertext) set.signing_secret_ciphertext = secrets.signingSecretCiphertext;
  if (Object.keys(set).length === 0) return;
  // Upsert without reading: the row may or may not exist, and people may not read it.
  const changed = await db`update public.alert_contact_secrets set ${db({ ...set, updated_at: new Date() })} where contact_id = ${contact.id}`;
  if (changed.count === 0) {
    await db`insert into public.alert_contact_secrets ${db({ contact_id: contact.id, tenant_id: contact.tenantId, ...set })}`;
  }
}

export async function setAlertContactEnabled(db: Db, contactId: string, enabled: boolean): Promise<void> {
  const updated = await db`update public.alert_contacts set enabled = ${enabled} where id = ${contactId}`;
  if (updated.count === 0) throw new AlertContactNotFoundError(contactId);
}

/** Removes the contact; its queued and sent alerts go with it (they must never be sent). */
export async function deleteAlertContact(db: Db, contactId: string): Promise<void> {
  const deleted = await db`delete from public.alert_contacts where id = ${contactId}`;
  if (deleted.count === 0) throw new AlertContactNotFoundError(contactId);
}
