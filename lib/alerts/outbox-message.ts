import { z } from "zod";
import { ALERT_STATES, type AlertMessage, type AlertRecipient } from "@/lib/alerts/types";
import { decryptSecret } from "@/lib/crypto/secret-box";
import type { ClaimedAlert } from "@/lib/db/alert-outbox";

/**
 * From a claimed outbox row to what a sender takes: the message (the payload the incident step fixed
 * when it queued the row, lib/incidents/alert-rows.ts, read leniently: extra fields are ignored) and the
 * recipient (secrets opened here, just before sending, never earlier). Throws OutboxRowError when the
 * row cannot be sent as it is; the worker marks it failed with that reason.
 */

export class OutboxRowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboxRowError";
  }
}

const state = z.enum(ALERT_STATES as [string, ...string[]]).transform((value) => value as (typeof ALERT_STATES)[number]);

const payloadSchema = z.object({
  incidentId: z.string().min(1),
  kind: z.enum(["channel", "gateway"]),
  state,
  statesSeen: z.array(state).min(1),
  gateway: z.object({ name: z.string() }).nullish(),
  channels: z.array(z.object({ id: z.string(), name: z.string(), phoneNumber: z.string().nullish(), state })),
  openedAt: z.string().pipe(z.coerce.date()),
  resolvedAt: z.string().nullish().transform((value) => (value ? new Date(value) : null)),
  reminder: z.number().int().nullish(),
});

export function outboxMessage(row: ClaimedAlert, now: Date): AlertMessage {
  const base = { event: row.event, tenantName: row.tenant.name, timeZone: row.tenant.timezone, at: now };
  if (row.event === "test") return { ...base, incident: null };
  const parsed = payloadSchema.safeParse(row.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OutboxRowError(`the queued alert cannot be read (${issue.path.join(".") || "payload"}: ${issue.message})`);
  }
  const p = parsed.data;
  return {
    ...base,
    incident: {
      id: p.incidentId,
      kind: p.kind,
      state: p.state,
      statesSeen: p.statesSeen,
      openedAt: p.openedAt,
      resolvedAt: row.event === "resolved" ? (p.resolvedAt ?? now) : null,
      gatewayName: p.gateway?.name ?? null,
      reminder: p.reminder ?? row.seq,
      channels: p.channels.map((channel) => ({ id: channel.id, name: channel.name, phone: channel.phoneNumber ?? null, state: channel.state })),
    },
  };
}

export function outboxRecipient(row: ClaimedAlert, secretKey: string): AlertRecipient {
  const { contact } = row;
  let webhook: AlertRecipient["webhook"] = null;
  if (contact.kind === "webhook" || contact.kind === "slack") {
    if (!contact.urlCiphertext) throw new OutboxRowError("the contact has no webhook URL stored");
    try {
      webhook = {
        url: decryptSecret(contact.urlCiphertext, secretKey),
        signingSecret: contact.signingSecretCiphertext ? decryptSecret(contact.signingSecretCiphertext, secretKey) : null,
      };
    } catch (error) {
      throw new OutboxRowError(`the contact's stored webhook cannot be opened: ${(error as Error).message}`);
    }
  }
  return {
    contactId: row.contactId,
    tenantId: row.tenantId,
    name: contact.name,
    kind: contact.kind,
    language: contact.language,
    target: contact.target,
    webhook,
  };
}
