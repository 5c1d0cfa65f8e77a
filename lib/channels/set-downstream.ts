import type { DownstreamFormValues } from "@/lib/channels/downstream-form";
import type { Db } from "@/lib/db/client";
import { openDownstream, readDownstreamRow, setWebhookMode, writeDownstream } from "@/lib/db/downstream";
import { configuredOutboundPolicy } from "@/lib/net/configured-outbound";
import { OutboundRefusedError, vetUrl, type OutboundPolicy } from "@/lib/net/outbound-guard";
import {
  downstreamUrlProblem,
  headerProblem,
  MASK,
  maskedUrl,
  WEBHOOK_MODES,
  type Downstream,
  type WebhookMode,
} from "@/lib/webhooks/downstream";

/**
 * Editing a channel's downstream and webhook mode (the channel form and `channel add|edit`). Secrets are
 * write-only: the form shows the URL with its query values as •••• and each header as `Name: ••••`;
 * sent back unchanged, a •••• keeps what is stored, but only while the downstream stays on the same
 * origin (the database drops the sealed parts on a move, and so does this: a new address needs its
 * secrets typed again). Problems come back as message keys under `manage.errors` with a plain text.
 */

export interface DownstreamEdit {
  /** A new URL; "" or null removes the downstream; the masked current URL keeps it; absent: unchanged. */
  url?: string | null;
  /** The whole header set; a value of •••• keeps the stored one. Absent: unchanged (dropped on a move). */
  headers?: Record<string, string>;
  mode?: WebhookMode;
}

export type DownstreamField = "downstreamUrl" | "downstreamHeaders" | "webhookMode";

export class DownstreamEditError extends Error {
  constructor(
    readonly field: DownstreamField,
    /** Message key under `manage.errors`, e.g. `downstreamUrl.invalid`. */
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "DownstreamEditError";
  }
}

const originOf = (url: string) => new URL(url).origin;

/** What the edit makes of the current downstream: null removes it, undefined leaves it as it is. Pure. */
export function resolveDownstreamEdit(current: Downstream | null, edit: DownstreamEdit): Downstream | null | undefined {
  if (edit.mode !== undefined && !WEBHOOK_MODES.includes(edit.mode)) {
    throw new DownstreamEditError("webhookMode", "webhookMode.invalid", `webhook mode must be one of ${WEBHOOK_MODES.join(", ")}`);
  }
  if (edit.url === undefined && edit.headers === undefined) return undefined;
  const typed = edit.url === undefined ? undefined : (edit.url ?? "").trim();
  if (typed === "") return current ? null : undefined;

  let url: string;
  if (typed === undefined || (current && typed === maskedUrl(current.url))) {
    if (!current) throw new DownstreamEditError("downstreamUrl", "downstreamUrl.required", "downstream headers need a downstream URL");
    url = current.url;
  } else {
    const problem = downstreamUrlProblem(typed);
    if (problem) throw new DownstreamEditError("downstreamUrl", "downstreamUrl.invalid", `downstream URL ${problem}`);
    if (typed.includes(MASK)) {
      throw new DownstreamEditError("downstreamUrl", "downstreamUrl.retypeSecrets", "type the downstream URL's query values: •••• only stands for what is stored");
    }
    url = typed;
  }
  const sameOrigin = current !== null && originOf(current.url) === originOf(url);
  const headers = resolveHeaders(edit.headers ?? (sameOrigin ? maskAll(current!.headers) : {}), sameOrigin ? current!.headers : {});
  return {
    url, headers, events: current?.events ?? [], byEvents: current?.byEvents ?? false, base64: current?.base64 ?? false,
  };
}

const maskAll = (headers: Record<string, string>) => Object.fromEntries(Object.keys(headers).map((name) => [name, MASK]));

function resolveHeaders(typed: Record<string, string>, stored: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(typed)) {
    if (value === MASK) {
      const kept = Object.keys(stored).find((key) => key.toLowerCase() === name.toLowerCase());
      if (kept === undefined) {
        throw new DownstreamEditError("downstreamHeaders", "downstreamHeaders.retypeSecrets",
          `type the value of header "${name.slice(0, 60)}": a stored value is kept only for the same downstream address`);
      }
      out[name] = stored[kept];
      continue;
    }
    const problem = headerProblem(name, value);
    if (problem) throw new DownstreamEditError("downstreamHeaders", "downstreamHeaders.invalid", problem);
    out[name] = value;
  }
  return out;
}

/** `Name: value` per line (the form's text area); blank lines are skipped. */
export function parseHeaderLines(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const at = line.indexOf(":");
    if (at <= 0) throw new DownstreamEditError("downstreamHeaders", "downstreamHeaders.invalid", "write one header per line as Name: value");
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return headers;
}

/** The form's values as an edit. Throws DownstreamEditError for header lines it cannot read. */
export function downstreamEditOf(values: DownstreamFormValues): DownstreamEdit {
  return {
    mode: values.webhookMode as WebhookMode,
    url: values.downstreamUrl,
    headers: values.downstreamUrl ? parseHeaderLines(values.downstreamHeaders) : undefined,
  };
}

/** Refuses a downstream the forwarder would never be allowed to reach (a name that does not resolve now is fine). */
export async function vetDownstream(downstream: Downstream | null | undefined, policy: OutboundPolicy = configuredOutboundPolicy()) {
  if (!downstream) return;
  try {
    await vetUrl(downstream.url, policy, AbortSignal.timeout(5_000));
  } catch (error) {
    if (error instanceof OutboundRefusedError) {
      throw new DownstreamEditError("downstreamUrl", "downstreamUrl.refused", `downstream URL refused: ${error.message}`);
    }
  }
}

/**
 * Applies an edit inside the caller's transaction: as the service path, or as a tenant admin (RLS lets
 * them write the plain columns and the sealed ones, never read them back). `current` comes from the
 * service path (`currentDownstream`), read only after the caller was allowed to act.
 */
export async function applyDownstreamEdit(
  db: Db,
  channelId: string,
  current: Downstream | null,
  edit: DownstreamEdit,
  secretKey: string,
  policy?: OutboundPolicy,
): Promise<void> {
  const next = resolveDownstreamEdit(current, edit);
  await vetDownstream(next, policy);
  if (edit.mode !== undefined) await setWebhookMode(db, channelId, edit.mode);
  if (next !== undefined) await writeDownstream(db, channelId, { downstream: next, ...(next ? {} : { adoptedAt: null }) }, secretKey);
}

/** The stored downstream, opened (service path). */
export async function currentDownstream(db: Db, channelId: string, secretKey: string): Promise<Downstream | null> {
  const row = await readDownstreamRow(db, channelId);
  return row ? openDownstream(row, secretKey) : null;
}
