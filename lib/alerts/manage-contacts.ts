import { ContactInputError, parseContactInput, type ContactInput, type RawContactInput } from "@/lib/alerts/contact-input";
import type { AlertDeliverySummary } from "@/lib/alerts/deliver-outbox";
import { generateSigningSecret } from "@/lib/alerts/webhook-signature";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { enqueueTestAlert, readOutboxEntry, type OutboxEntry } from "@/lib/db/alert-outbox";
import { deleteAlertContact, getAlertContact, insertAlertContact, updateAlertContact } from "@/lib/db/alert-contacts";
import type { Db } from "@/lib/db/client";
import { configuredOutboundPolicy } from "@/lib/net/configured-outbound";
import { OutboundRefusedError, vetUrl, type OutboundPolicy } from "@/lib/net/outbound-guard";

/**
 * The verbs behind the settings page and `sentinela alerts`: add, edit, remove a contact, send it a
 * test. Transports stay thin: they validate nothing themselves and map ContactInputError to a field.
 * What must stay true:
 * - a webhook URL is vetted with the outbound guard when it is saved (the same policy that will send to
 *   it): a refused address is refused here, naming why, rather than failing every alert later;
 * - webhook URLs and signing secrets are sealed before they reach the database and are never returned,
 *   except a new signing secret, once, to the admin who created or rotated it;
 * - `db` is the caller's: a person's RLS transaction (admins only can write) or the service path.
 */

export interface ManageDeps {
  db: Db;
  secretKey: string;
  outbound?: OutboundPolicy;
}

const LOOKUP_BUDGET_MS = 5_000;

async function vetWebhookUrl(url: string, policy: OutboundPolicy): Promise<void> {
  try {
    await vetUrl(url, policy, AbortSignal.timeout(LOOKUP_BUDGET_MS));
  } catch (error) {
    // Only a refusal blocks the save: a name that does not resolve now may later, and alerts retry.
    if (error instanceof OutboundRefusedError) {
      throw new ContactInputError("webhookUrl", `refused.${error.reason}`, `webhook URL refused: ${error.message}`);
    }
  }
}

async function sealed(deps: ManageDeps, input: ContactInput, rotateSecret: boolean) {
  const signingSecret = input.kind === "webhook" && rotateSecret ? generateSigningSecret() : null;
  if (input.webhookUrl) await vetWebhookUrl(input.webhookUrl, deps.outbound ?? configuredOutboundPolicy());
  return {
    signingSecret,
    secrets: {
      urlCiphertext: input.webhookUrl ? encryptSecret(input.webhookUrl, deps.secretKey) : undefined,
      signingSecretCiphertext: signingSecret ? encryptSecret(signingSecret, deps.secretKey) : undefined,
    },
  };
}

/** A new contact; for a signed webhook, its signing secret (shown once, never stored in the clear). */
export async function addAlertContact(deps: ManageDeps, tenantId: string, raw: RawContactInput): Promise<{ id: string; signingSecret: string | null }> {
  const input = parseContactInput(raw, { creating: true });
  const { signingSecret, secrets } = await sealed(deps, input, true);
  const id = await insertAlertContact(deps.db, tenantId, input, secrets);
  return { id, signingSecret };
}

/**
 * Replaces the contact's settings (its kind stays). A blank webhook URL keeps the stored one;
 * `rotateSecret` makes a new signing secret, returned once.
 */
export async function editAlertContact(
  deps: ManageDeps,
  contactId: string,
  raw: Omit<RawContactInput, "kind">,
  options: { rotateSecret?: boolean } = {},
): Promise<{ signingSecret: string | null }> {
  const current = await getAlertContact(deps.db, contactId);
  const input = parseContactInput({ ...raw, kind: current.kind }, { creating: false });
  const { signingSecret, secrets } = await sealed(deps, input, options.rotateSecret === true);
  await updateAlertContact(deps.db, { id: contactId, tenantId: current.tenantId }, input, secrets);
  return { signingSecret };
}

export async function removeAlertContact(db: Db, contactId: string): Promise<void> {
  await deleteAlertContact(db, contactId);
}

/**
 * Queues a test alert for the contact in `db` (an admin's transaction proves the right to), then has
 * `deliver` send that row at once and reports what became of it.
 */
export async function sendTestAlert(
  db: Db,
  contactId: string,
  deliver: (ids: string[]) => Promise<AlertDeliverySummary>,
  read: (id: string) => Promise<OutboxEntry | null> = (id) => readOutboxEntry(db, id),
): Promise<OutboxEntry & { summary: AlertDeliverySummary }> {
  const contact = await getAlertContact(db, contactId);
  const id = await enqueueTestAlert(db, { tenantId: contact.tenantId, contactId });
  const summary = await deliver([id]);
  const entry = await read(id);
  if (!entry) throw new Error("the test alert disappeared (was the contact removed?)");
  return { ...entry, summary };
}
