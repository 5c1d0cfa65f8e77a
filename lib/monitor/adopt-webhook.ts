import { OutboundRefusedError, vetUrl, type OutboundPolicy } from "@/lib/net/outbound-guard";
import type { WebhookConfig } from "@/lib/providers/types";
import { displayUrl, headersProblem, type Downstream } from "@/lib/webhooks/downstream";

/**
 * Whether a foreign webhook found on a gateway (the platform's) can be adopted: kept whole as the
 * channel's downstream and fed from our receiver. Only what can be forwarded safely is adopted:
 * - its URL passes the outbound guard with the deployment's policy (a platform webhook on a private
 *   address needs GATEWAY_ALLOWED_HOSTS), as every forward will;
 * - base64 media is off: those bodies can exceed what one serverless request may carry;
 * - its headers can be sent as they are.
 * Otherwise the channel goes to webhook mode `off` with the reason, and the gateway is left alone.
 * Data in, verdict out, apart from the address lookup.
 */

/** Where the monitor writes an adoption (lib/db/downstream.ts implements it). */
export interface WebhookAdoptionStore {
  /** Stores the downstream unless the channel got one meanwhile or left mode adopt; true when stored. */
  adoptDownstream(channelId: string, downstream: Downstream, at: Date): Promise<boolean>;
  /** Webhook mode off, with why (only while the channel is still in mode adopt). */
  turnOff(channelId: string, reason: string): Promise<void>;
}

export interface AdoptionDeps {
  store: WebhookAdoptionStore;
  /** The deployment's outbound policy (GATEWAY_ALLOWED_HOSTS); nothing beyond public addresses when absent. */
  outbound?: OutboundPolicy;
}

/**
 * Codes stored at the start of channels.webhook_mode_reason (`<code>: <detail>`), so a page can say in
 * the reader's language why and what to do. Details name a host and an address, never a path or query.
 */
export type OffReason = "base64" | "address" | "url" | "headers";

export type AdoptionVerdict =
  | { kind: "adopt"; downstream: Downstream }
  | { kind: "off"; reason: OffReason; detail: string }
  /** Not decidable now (the platform's host did not resolve): leave everything, ask again next time. */
  | { kind: "later"; detail: string };

const LOOKUP_BUDGET_MS = 5_000;

export async function judgeForeignWebhook(actual: WebhookConfig, outbound: OutboundPolicy = {}): Promise<AdoptionVerdict> {
  if (actual.base64) {
    return {
      kind: "off", reason: "base64",
      detail: "the platform's webhook sends media as base64, and such bodies can exceed what one request may carry",
    };
  }
  try {
    await vetUrl(actual.url, outbound, AbortSignal.timeout(LOOKUP_BUDGET_MS));
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { kind: "off", reason: "address", detail: error.message };
    if (error instanceof TypeError) return { kind: "off", reason: "url", detail: "the platform's webhook URL cannot be read" };
    const why = error instanceof Error ? error.message : String(error);
    return { kind: "later", detail: `${displayUrl(actual.url)} could not be looked up (${why.slice(0, 200)})` };
  }
  const headers = headersProblem(actual.headers);
  if (headers) return { kind: "off", reason: "headers", detail: headers };
  return {
    kind: "adopt",
    downstream: { url: actual.url, headers: { ...actual.headers }, events: [...actual.events], byEvents: actual.byEvents, base64: false },
  };
}

/** Both subscriptions, in our order then the platform's, limited to names the gateway accepts. */
export function unionEvents(ours: readonly string[], theirs: readonly string[], accepted: ReadonlySet<string>): string[] {
  return [...new Set([...ours, ...theirs])].filter((event) => accepted.has(event));
}
