import type { Db } from "@/lib/db/client";
import type { DownstreamRow } from "@/lib/db/downstream";

/**
 * The durable forward queue (public.webhook_forwards), service path only: bodies are guests' messages.
 * What must stay true:
 * - per channel, rows go out in id order: a row is claimable only when no earlier row of its channel is
 *   still pending (delivered_at and failed_at both null), whatever its own schedule;
 * - a claim is a lease taken in one statement with FOR UPDATE SKIP LOCKED, so overlapping senders (the
 *   receiver's after(), monitor passes, the CLI) never hold the same row; a sender that dies mid-send
 *   loses its lease after LEASE_MS and the row is sent again (at least once);
 * - time is the caller's clock, so tests drive the retry schedule.
 */

export const LEASE_MS = 60_000;
/** Undelivered after this long: marked failed (the platform never got it; admins see the count). */
export const MAX_AGE_MS = 24 * 3_600_000;

export interface NewForward {
  channelId: string;
  tenantId: string;
  dedupeKey: string;
  body: Uint8Array;
  urlSuffix: string;
  at: Date;
}

/** Queues one event; a repeat of a body already queued for the channel is dropped. True when queued. */
export async function enqueueForward(db: Db, forward: NewForward): Promise<boolean> {
  const rows = await db`
    insert into public.webhook_forwards (channel_id, tenant_id, dedupe_key, body, url_suffix, next_attempt_at, created_at)
    values (${forward.channelId}, ${forward.tenantId}, ${forward.dedupeKey}, ${Buffer.from(forward.body)},
      ${forward.urlSuffix}, ${forward.at}, ${forward.at})
    on conflict (channel_id, dedupe_key) do nothing
    returning id
  `;
  return rows.length > 0;
}

export interface ClaimedForward extends Omit<DownstreamRow, "modeReason" | "adoptedAt"> {
  id: string;
  channelId: string;
  body: Buffer;
  urlSuffix: string;
  attempts: number;
  createdAt: Date;
}

/**
 * Leases the head row (earliest pending) of up to `limit` channels whose head is due and free, or of the
 * one channel given. Each comes with its channel's downstream as stored now (sealed parts included).
 */
export async function claimForwards(db: Db, input: { now: Date; limit: number; channelId?: string }): Promise<ClaimedForward[]> {
  const leaseUntil = new Date(input.now.getTime() + LEASE_MS);
  return db<ClaimedForward[]>`
    with heads as (
      select f.id from public.webhook_forwards f
      where f.delivered_at is null and f.failed_at is null
        and f.next_attempt_at <= ${input.now}
        and (f.lease_until is null or f.lease_until <= ${input.now})
        ${input.channelId ? db`and f.channel_id = ${input.channelId}` : db``}
        and not exists (
          select 1 from public.webhook_forwards e
          where e.channel_id = f.channel_id and e.id < f.id and e.delivered_at is null and e.failed_at is null
        )
      order by f.next_attempt_at, f.id
      limit ${input.limit}
      for update of f skip locked
    )
    update public.webhook_forwards f set lease_until = ${leaseUntil}, attempts = f.attempts + 1
    from heads, public.channels c left join public.channel_secrets sec on sec.channel_id = c.id
    where f.id = heads.id and c.id = f.channel_id
    returning f.id::text as id, f.channel_id as "channelId", f.body, f.url_suffix as "urlSuffix", f.attempts,
      f.created_at as "createdAt", c.webhook_mode as mode, c.webhook_downstream_url as "plainUrl",
      c.webhook_downstream_events as events, c.webhook_downstream_by_events as "byEvents",
      c.webhook_downstream_base64 as base64, sec.downstream_url_ciphertext as "urlCiphertext",
      sec.downstream_headers_ciphertext as "headersCiphertext"
  `;
}

export type ForwardResult =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; nextAttemptAt: Date; status?: number; error: string }
  | { kind: "failed"; status?: number; error: string };

/** Records one attempt's result and frees the lease (only the lease holder's row: `attempts` as claimed). */
export async function settleForward(db: Db, row: { id: string; attempts: number }, result: ForwardResult, now: Date) {
  const error = result.kind === "delivered" ? null : result.error.slice(0, 1000);
  const status = result.status ?? null;
  await db`
    update public.webhook_forwards set
      lease_until = null, last_status = ${status}, last_error = ${error},
      delivered_at = ${result.kind === "delivered" ? now : null},
      failed_at = ${result.kind === "failed" ? now : null},
      next_attempt_at = ${result.kind === "retry" ? result.nextAttemptAt : db`next_attempt_at`}
    where id = ${row.id} and attempts = ${row.attempts} and delivered_at is null and failed_at is null
  `;
}

/** Gives a lease back untried (the sender ran out of time): as if it had never been claimed. */
export async function releaseForward(db: Db, row: { id: string; attempts: number }) {
  await db`
    update public.webhook_forwards set lease_until = null, attempts = attempts - 1
    where id = ${row.id} and attempts = ${row.attempts} and delivered_at is null and failed_at is null
  `;
}

/**
 * Housekeeping, one statement each: pending rows older than MAX_AGE_MS become failed (so they stop
 * holding their channel's later rows back); delivered rows go after two days (long enough to drop the
 * gateway's late repeats), failed ones after a week (long enough for admins to notice).
 */
export async function expireForwards(db: Db, now: Date): Promise<number> {
  const expired = await db`
    update public.webhook_forwards set failed_at = ${now}, lease_until = null,
      last_error = left(coalesce(last_error || '; ', '') || 'not delivered within 24 h', 1000)
    where delivered_at is null and failed_at is null and created_at <= ${new Date(now.getTime() - MAX_AGE_MS)}
      and (lease_until is null or lease_until <= ${now})
  `;
  await db`
    delete from public.webhook_forwards
    where (delivered_at is not null and delivered_at < ${new Date(now.getTime() - 2 * 86_400_000)})
      or (failed_at is not null and failed_at < ${new Date(now.getTime() - 7 * 86_400_000)})
  `;
  return expired.count;
}

export interface ForwardCounts {
  pending: number;
  failed: number;
}

/**
 * Pending and failed forwards of one channel, for its admins. Runs as the caller (RLS: only a tenant
 * admin sees the rows; anyone else gets zeros).
 */
export async function countForwards(db: Db, channelId: string): Promise<ForwardCounts> {
  const [row] = await db<ForwardCounts[]>`
    select count(*) filter (where delivered_at is null and failed_at is null)::int as pending,
      count(*) filter (where failed_at is not null)::int as failed
    from public.webhook_forwards where channel_id = ${channelId}
  `;
  return row ?? { pending: 0, failed: 0 };
}
