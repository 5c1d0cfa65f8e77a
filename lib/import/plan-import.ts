import { hasForbiddenCharacters } from "@/lib/text/plain-text";
import type { GatewayInstance } from "@/lib/providers/types";

/**
 * What an import would do, decided from data alone (no gateway, no database): which listed instances
 * go to which tenant, and which are skipped. What must stay true: an instance already a channel on the
 * same canonical gateway URL is never added again (imports are idempotent), and nothing in a plan is a
 * secret: tokens stay in the listing, webhook URLs are cut to origin and path.
 */

export interface ImportTenant {
  id: string;
  slug: string;
  name: string;
}

/** Instances whose name matches `match` (every instance when null) go to `tenant`; the first rule that matches wins. */
export interface AssignRule {
  match: RegExp | null;
  tenant: ImportTenant;
}

/** already_added: a channel exists for this gateway instance; invalid_name: the name cannot be a channel's. */
export type SkipReason = "already_added" | "invalid_name";

export interface ImportRow {
  name: string;
  phone: string | null;
  state: GatewayInstance["connectionStatus"];
  profileName: string | null;
  tenant: ImportTenant;
  action: "add" | "skip";
  reason?: SkipReason;
  /** The existing channel (skipped, when the reader may see it), or the new one once added. */
  channelId?: string;
  /** Whether the gateway gave the instance's own token (else the channel uses the gateway's key). */
  hasToken: boolean;
  /** The instance's webhook as origin + path; null when it has none. Absent until read. */
  webhookUrl?: string | null;
  /** The webhook could not be read (or is not a URL); the import still works. */
  webhookUnreadable?: boolean;
}

export interface ImportPlan {
  /** Canonical (lib/net/canonical-origin.ts). */
  gatewayUrl: string;
  /** Instances the gateway listed, matched or not. */
  listed: number;
  rows: ImportRow[];
}

/** The channel rules the add-channel form enforces on an instance name (lib/channels/channel-input.ts). */
export function isUsableInstanceName(name: string): boolean {
  return name.length >= 1 && name.length <= 200 && /^[^/?#\s]+$/.test(name) && !hasForbiddenCharacters(name);
}

export function planImport(input: {
  gatewayUrl: string;
  instances: readonly GatewayInstance[];
  /** Instance name → channel id of the channels already on this gateway URL (null: exists, id not visible). */
  existing: ReadonlyMap<string, string | null>;
  rules: readonly AssignRule[];
}): ImportPlan {
  const rows: ImportRow[] = [];
  const seen = new Set<string>();
  for (const instance of input.instances) {
    // A name listed twice is one instance: planned once, so it can never be added twice.
    if (seen.has(instance.name)) continue;
    seen.add(instance.name);
    const rule = input.rules.find((candidate) => candidate.match === null || matches(candidate.match, instance.name));
    if (!rule) continue;
    const row: ImportRow = {
      name: instance.name,
      phone: instance.phone,
      state: instance.connectionStatus,
      profileName: instance.profileName,
      tenant: rule.tenant,
      action: "add",
      hasToken: Boolean(instance.token),
    };
    if (input.existing.has(instance.name)) {
      const channelId = input.existing.get(instance.name);
      Object.assign(row, { action: "skip", reason: "already_added" }, channelId ? { channelId } : {});
    } else if (!isUsableInstanceName(instance.name)) {
      Object.assign(row, { action: "skip", reason: "invalid_name" });
    }
    rows.push(row);
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { gatewayUrl: input.gatewayUrl, listed: input.instances.length, rows };
}

/** `lastIndex` of a global/sticky pattern would make `test` depend on the previous name. */
function matches(pattern: RegExp, name: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(name);
}

/**
 * A webhook URL as it may be shown: origin and path, never the query string, fragment or credentials
 * (platforms put tokens there). Null for anything that is not an http(s) URL.
 */
export function maskWebhookUrl(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  return parsed.origin + parsed.pathname;
}

export function countActions(rows: readonly ImportRow[]): { add: number; skip: number } {
  const add = rows.filter((row) => row.action === "add").length;
  return { add, skip: rows.length - add };
}
