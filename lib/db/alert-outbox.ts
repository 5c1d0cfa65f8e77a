import type { Db } from "@/lib/db/client";

/**
 * The alert outbox (public.alert_outbox), service path. Rows are queued by the incident step (lib/
 * incidents) in the transaction that opens, reminds or resolves an incident, and by "send a test alert";
 * this module claims and settles them for lib/alerts/deliver-outbox.ts. What must stay true:
 * - a claim is a lease taken in one statement with FOR UPDATE SKIP LOCKED: overlapping senders (every
 *   monitor pass, the cron route, the CLI, a test button) never hold the same row at once;
 * - a claim bumps `attempts`, and only the holder of that attempt can settle or release the row
 *   (`attempts` as claimed, status 'sending'): a sender whose lease ran out cannot overwrite the row
 *   that another sender took over;
 * - a sender that dies mid-send loses its lease after LEASE_MS and the row is sent again (at least
 *   once; exactly once whenever the sender lives to record what it sent);
 * - time is the caller's clock, so tests drive the schedule.
 */

export const LEASE_MS = 2 * 60_000;

export interface ClaimedAlert {
  id: string;
  tenantId: string;
  incidentId: string | null;
  contactId: string;
  event: "opened" | "reminder" | "resolved" | "test";
  seq: number;
  /** This attempt's number (1 for the first). */
  attempts: number;
  createdAt: Date;
  payload: unknown;
  contact: {
    name: string;
    kind: "email" | "webhook" | "slack" | "whatsapp";
    target: string | null;
    language: "pt-BR" | "en";
    quietStart: string | null;
    quietEnd: string | null;
    criticalOverridesQuiet: boolean;
    enabled: boolean;
    urlCiphertext: string | null;
    signingSecretCiphertext: string | null;
  };
  tenant: { name: string; timezone: string };
}

interface ClaimRow extends Omit<ClaimedAlert, "contact" | "tenant"> {
  contactName: string;
  contactKind: ClaimedAlert["contact"]["kind"];
  target: string | null;
  language: ClaimedAlert["contact"]["language"];
  quietStart: string | null;
  quietEnd: string | null;
  criticalOverridesQuiet: boolean;
  enabled: boolean;
  urlCiphertext: string | null;
  signingSecretCiphertext: string | null;
  tenantName: string;
  timezone: string;
}

/** Leases up to `limit` due rows (or the rows named, due or not), stalest first, with their contact and tenant. */
export async function claimAlerts(db: Db, input: { now: Date; limit: number; ids?: string[] }): Promise<ClaimedAlert[]> {
  const leaseUntil = new Date(input.now.getTime() + LEASE_MS);
  const rows = await db<ClaimRow[]>`
    with due as (
      select o.id from public.alert_outbox o
      where o.status in ('pending', 'sending')
        and (o.lease_until is null or o.lease_until <= ${input.now})
        -- Rows named (a test alert sent at once) are taken whatever their schedule.
        and ${input.ids ? db`o.id = any(${input.ids.map(Number)}::bigint[])` : db`o.next_attempt_at <= ${input.now}`}
      order by o.next_attempt_at, o.id
      limit ${input.limit}
      for update of o skip locked
    )
    update public.alert_outbox o set status = 'sending', lease_until = ${leaseUntil}, attempts = o.attempts + 1
    from due, public.alert_contacts c
      join public.tenants t on t.id = c.tenant_id
      left join public.alert_contact_secrets s on s.contact_id = c.id
    where o.id = due.id and c.id = o.contact_id
    returning o.id::text as id, o.tenant_id as "tenantId", o.incident_id as "incidentId", o.contact_id as "contactId",
      o.kind as event, o.seq, o.attempts, o.created_at as "createdAt", o.payload,
      c.name as "contactName", c.kind as "contactKind", c.target, c.language,
      to_char(c.quiet_start, 'HH24:MI') as "quietStart", to_char(c.quiet_end, 'HH24:MI') as "quietEnd",
      c.critical_overrides_quiet as "criticalOverridesQuiet", c.enabled,
      s.url_ciphertext as "urlCiphertext", s.signing_secret_ciphertext as "signingSecretCiphertext",
      t.name as "tenantName", t.timezone
  `;
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenantId,
    incidentId: row.incidentId,
    contactId: row.contactId,
    event: row.event,
    seq: row.seq,
    attempts: row.attempts,
    createdAt: row.createdAt,
    payload: row.payload,
    contact: {
      name: row.contactName,
      kind: row.contactKind,
      target: row.target,
      language: row.language,
      quietStart: row.quietStart,
      quietEnd: row.quietEnd,
      criticalOverridesQuiet: row.criticalOverridesQuiet,
      enabled: row.enabled,
      urlCiphertext: row.urlCiphertext,
      signingSecretCiphertext: row.signingSecretCiphertext,
    },
    tenant: { name: row.tenantName, timezone: row.timezone },
  }));
}

export type AlertSettlement =
  | { kind: "sent"; detail?: string }
  | { kind: "retry"; nextAttemptAt: Date; error: string }
  | { kind: "failed"; error: string }
  /** Quiet hours: back to pending until then, and the attempt does not count. */
  | { kind: "deferred"; until: Date };

/** Records one attempt's outcome and frees the lease; a no-op (false) for a holder that lost its lease. */
export async function settleAlert(db: Db, row: { id: string; attempts: number }, result: AlertSettlement, now: Date): Promise<boolean> {
  const status = result.kind === "sent" ? "sent" : result.kind === "failed" ? "failed" : "pending";
  const error = result.kind === "retry" || result.kind === "failed" ? result.error.slice(0, 1000) : null;
  const next = result.kind === "retry" ? result.nextAttemptAt : result.kind === "deferred" ? result.until : null;
  const updated = await db`
    update public.alert_outbox set
      status = ${status},
      lease_until = null,
      attempts = attempts - ${result.kind === "deferred" ? 1 : 0},
      last_error = ${result.kind === "deferred" ? db`last_error` : error},
      sent_at = ${result.kind === "sent" ? now : null},
      next_attempt_at = ${next ?? db`next_attempt_at`}
    where id = ${row.id} and attempts = ${row.attempts} and status = 'sending'
  `;
  return updated.count > 0;
}

/** Gives a lease back untried (the run ran out of time): as if it had never been claimed. */
export async function releaseAlert(db: Db, row: { id: string; attempts: number }): Promise<void> {
  await db`
    update public.alert_outbox set status = 'pending', lease_until = null, attempts = attempts - 1
    where id = ${row.id} and attempts = ${row.attempts} and status = 'sending'
  `;
}

/**
 * A test alert for one contact; its id. Only the columns a tenant admin may write (RLS policy
 * alert_outbox_insert_test), so it runs in the admin's own transaction as well as on the service path.
 */
export async function enqueueTestAlert(db: Db, input: { tenantId: string; contactId: string }): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    insert into public.alert_outbox (tenant_id, contact_id, kind, payload)
    values (${input.tenantId}, ${input.contactId}, 'test', '{}'::jsonb)
    returning id::text as id
  `;
  return row.id;
}

export interface OutboxEntry {
  id: string;
  status: "pending" | "sending" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  nextAttemptAt: Date;
}

export async function readOutboxEntry(db: Db, id: string): Promise<OutboxEntry | null> {
  const [row] = await db<OutboxEntry[]>`
    select id::text as id, status, attempts, last_error as "lastError", sent_at as "sentAt", next_attempt_at as "nextAttemptAt"
    from public.alert_outbox where id = ${id}
  `;
  return row ?? null;
}
