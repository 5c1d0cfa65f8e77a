import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import type { Db, Sql, Tx } from "@/lib/db/client";
import { displayUrl, type Downstream, type WebhookMode } from "@/lib/webhooks/downstream";

/**
 * A channel's downstream and webhook mode in the database. The URL (with its query string) and the
 * headers are sealed in channel_secrets; channels keeps what is not secret (origin and path, events,
 * flags). Reading the sealed part is the service path's alone (users have no SELECT on it).
 */

export interface DownstreamRow {
  mode: WebhookMode;
  modeReason: string | null;
  adoptedAt: Date | null;
  /** Origin and path (or, for rows written before sealing existed, the whole URL). */
  plainUrl: string | null;
  events: string[];
  byEvents: boolean;
  base64: boolean;
  urlCiphertext: string | null;
  headersCiphertext: string | null;
}

export async function readDownstreamRow(db: Db, channelId: string): Promise<DownstreamRow | null> {
  const [row] = await db<DownstreamRow[]>`
    select c.webhook_mode as mode, c.webhook_mode_reason as "modeReason", c.webhook_adopted_at as "adoptedAt",
      c.webhook_downstream_url as "plainUrl", c.webhook_downstream_events as events,
      c.webhook_downstream_by_events as "byEvents", c.webhook_downstream_base64 as base64,
      sec.downstream_url_ciphertext as "urlCiphertext", sec.downstream_headers_ciphertext as "headersCiphertext"
    from public.channels c left join public.channel_secrets sec on sec.channel_id = c.id
    where c.id = ${channelId}
  `;
  return row ?? null;
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * The downstream to send to, or null when there is none. A sealed URL is used only while it is for the
 * plain column's origin (the database drops it on a move; this also ignores one written for another
 * origin); without one, the plain column is the URL (no query secrets: entered before sealing, or
 * moved without them). Throws SecretBoxError when the sealed parts cannot be opened.
 */
export function openDownstream(
  row: Pick<DownstreamRow, "plainUrl" | "events" | "byEvents" | "base64" | "urlCiphertext" | "headersCiphertext">,
  secretKey: string,
): Downstream | null {
  if (!row.plainUrl) return null;
  const sealedUrl = row.urlCiphertext ? decryptSecret(row.urlCiphertext, secretKey) : null;
  const bound = sealedUrl !== null && originOf(sealedUrl) === originOf(row.plainUrl);
  const headers = bound && row.headersCiphertext
    ? (JSON.parse(decryptSecret(row.headersCiphertext, secretKey)) as Record<string, string>)
    : {};
  return { url: bound ? sealedUrl : row.plainUrl, headers, events: row.events, byEvents: row.byEvents, base64: row.base64 };
}

function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ("begin" in db ? (db as Sql).begin(fn) : (db as Tx).savepoint(fn)) as Promise<T>;
}

export interface DownstreamWrite {
  downstream: Downstream | null;
  /** Set by the monitor when it adopted the platform's webhook. */
  adoptedAt?: Date | null;
}

/**
 * Stores (or, with null, removes) a channel's downstream: the plain columns first, which drops the
 * sealed parts when the origin moves, then the sealed URL and headers. `guard` adds a condition the
 * channels row must meet (the monitor adopts only while no downstream is set and the mode is adopt).
 * Returns false, writing nothing, when no row matched.
 */
export async function writeDownstream(
  db: Db,
  channelId: string,
  write: DownstreamWrite,
  secretKey: string,
  guard: "none" | "adoptable" = "none",
): Promise<boolean> {
  const d = write.downstream;
  return inTransaction(db, async (tx) => {
    const rows = await tx`
      update public.channels set
        webhook_downstream_url = ${d ? displayUrl(d.url) : null},
        webhook_downstream_events = ${d?.events ?? []}, webhook_downstream_by_events = ${d?.byEvents ?? false},
        webhook_downstream_base64 = ${d?.base64 ?? false},
        webhook_adopted_at = ${write.adoptedAt === undefined ? tx`webhook_adopted_at` : write.adoptedAt},
        updated_at = now()
      where id = ${channelId}
        ${guard === "adoptable" ? tx`and webhook_mode = 'adopt' and webhook_downstream_url is null` : tx``}
      returning id
    `;
    if (rows.length === 0) return false;
    await tx`
      update public.channel_secrets set
        downstream_url_ciphertext = ${d ? encryptSecret(d.url, secretKey) : null},
        downstream_headers_ciphertext = ${d && Object.keys(d.headers).length > 0 ? encryptSecret(JSON.stringify(d.headers), secretKey) : null},
        updated_at = now()
      where channel_id = ${channelId}
    `;
    return true;
  });
}

/** Sets the mode; `reason` says why the monitor chose 'off' (the database clears it for other modes). */
export async function setWebhookMode(db: Db, channelId: string, mode: WebhookMode, reason: string | null = null, onlyFrom?: WebhookMode) {
  const rows = await db`
    update public.channels set webhook_mode = ${mode}, webhook_mode_reason = ${reason}, updated_at = now()
    where id = ${channelId} ${onlyFrom ? db`and webhook_mode = ${onlyFrom}` : db``}
    returning id
  `;
  return rows.length > 0;
}

/** The monitor's port (lib/monitor/webhook-drift.ts) onto these writes. */
export function createWebhookAdoptionStore(db: Db, secretKey: string) {
  return {
    adoptDownstream: (channelId: string, downstream: Downstream, at: Date) =>
      writeDownstream(db, channelId, { downstream, adoptedAt: at }, secretKey, "adoptable"),
    async turnOff(channelId: string, reason: string) {
      await setWebhookMode(db, channelId, "off", reason, "adopt");
    },
  };
}

export interface PlatformWebhookSummary {
  mode: WebhookMode;
  /** Why the monitor chose mode off (`<code>: <detail>`); null otherwise. */
  modeReason: string | null;
  adoptedAt: Date | null;
  hasDownstream: boolean;
}

/** What the channel page says about the platform's webhook; runs as the viewer (no secret in it). */
export async function getPlatformWebhookSummary(db: Db, channelId: string): Promise<PlatformWebhookSummary | null> {
  const [row] = await db<PlatformWebhookSummary[]>`
    select webhook_mode as mode, webhook_mode_reason as "modeReason", webhook_adopted_at as "adoptedAt",
      webhook_downstream_url is not null as "hasDownstream"
    from public.channels where id = ${channelId}
  `;
  return row ?? null;
}
