import type { OutboundPolicy } from "@/lib/net/outbound-guard";
import type { OriginLimiter } from "@/lib/providers/origin-limiter";

/**
 * One interface for every WhatsApp gateway. Adapters translate a gateway's HTTP API into these shapes
 * and classify every failure; they never decide what to do about it (that is the monitor's job).
 */

export type ProviderKind = "evolution";
export const PROVIDER_KINDS: readonly ProviderKind[] = ["evolution"];

/** Where a channel lives on its gateway, with the decrypted key. Built on the service path only. */
export interface ChannelTarget {
  baseUrl: string;
  instanceName: string;
  apiKey: string;
}

/** What the gateway says about the WhatsApp session, normalised. */
export type GatewayState = "open" | "connecting" | "close" | "refused";

/** A whole gateway: where it is and the key for all of it (Evolution: the global key). Service path only. */
export interface GatewayTarget {
  baseUrl: string;
  apiKey: string;
}

/** One instance as the gateway lists it (Provider.listInstances), normalised. Never carries the key asked with. */
export interface GatewayInstance {
  name: string;
  /** E.164 (`+5511987654321`) of the paired account; null when never paired or not a phone. */
  phone: string | null;
  /** As the gateway last stored it (Evolution: its own database), not a live read; "unknown" when unreadable. */
  connectionStatus: GatewayState | "unknown";
  /** The instance's own key, when the gateway gives it. A secret: seal it, never show it. */
  token?: string;
  profileName: string | null;
}

export interface StateReport {
  state: GatewayState;
  /** Baileys DisconnectReason when the gateway exposes one (e.g. 401 logged out, 440 replaced). */
  reasonCode?: number;
  /**
   * Set when the gateway said close/refused but the follow-up lookup of the reason failed: the state is
   * still true, only `reasonCode` is unknown (and why).
   */
  reasonLookupError?: ProviderErrorKind;
  /** Closed, with no owner and no reason on record: the instance was never paired (needs a QR scan). */
  neverPaired?: boolean;
  latencyMs: number;
}

export type ConnectResult =
  | { kind: "open" }
  | { kind: "qr"; code: string; base64?: string; pairingCode?: string | null; count: number }
  | { kind: "pending"; count: number };

export interface WebhookConfig {
  enabled: boolean;
  url: string;
  events: string[];
  headers: Record<string, string>;
  byEvents: boolean;
  base64: boolean;
}

/** A gateway push, normalised. `occurredAt` orders deliveries; `dedupeKey` drops repeats. */
export type WebhookEvent =
  | { kind: "connection"; instance: string; state: GatewayState; reasonCode?: number; occurredAt: Date; dedupeKey: string }
  | {
      kind: "qrcode";
      instance: string;
      code?: string;
      base64?: string;
      pairingCode?: string;
      occurredAt: Date;
      dedupeKey: string;
    }
  | { kind: "status"; instance: string; status: string; reasonCode?: number; occurredAt: Date; dedupeKey: string }
  | { kind: "logout"; instance: string; occurredAt: Date; dedupeKey: string }
  | { kind: "ignored"; event: string };

/**
 * misconfigured: the gateway rejects our key (401) or does not know the instance (404).
 * provider_down: unreachable, timed out, 5xx.
 * rejected: the gateway answered but refused the operation (HTTP 200 `{"error":true}`, 400).
 * invalid_response: an answer we cannot read (not JSON, wrong shape); `snippet` keeps the raw start.
 */
export type ProviderErrorKind = "misconfigured" | "provider_down" | "rejected" | "invalid_response";

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly detail: {
      status?: number;
      snippet?: string;
      operation?: string;
      /** Set when the outbound guard refused the URL before any request (lib/net/outbound-guard.ts). */
      refused?: { reason: string; address?: string };
    } = {},
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/**
 * listInstances was given a key that is not the gateway-wide one: the gateway refused it (401/403), or
 * it is one instance's own token (the gateway then lists only that instance). `instanceName` says which.
 */
export class NotGlobalKeyError extends ProviderError {
  constructor(
    operation: string,
    readonly instanceName: string | null,
    status?: number,
  ) {
    super(
      "misconfigured",
      instanceName === null
        ? "the key is not the gateway's global key (the gateway refused it)"
        : `this is the instance token of "${instanceName}", not the gateway's global key (Evolution: AUTHENTICATION_API_KEY)`,
      { operation, status },
    );
    this.name = "NotGlobalKeyError";
  }
}

export interface Provider {
  readonly kind: ProviderKind;
  /** Event names the gateway accepts in a webhook config; setWebhook refuses any other. */
  readonly webhookEventNames: readonly string[];
  getState(target: ChannelTarget): Promise<StateReport>;
  /** Restart the session (Evolution v2: POST). Throws `rejected` when the instance is closed. */
  restart(target: ChannelTarget): Promise<ConnectResult>;
  /** Ask the gateway to connect; answers the QR when it needs pairing. */
  connect(target: ChannelTarget): Promise<ConnectResult>;
  getWebhook(target: ChannelTarget): Promise<WebhookConfig | null>;
  setWebhook(target: ChannelTarget, config: WebhookConfig): Promise<WebhookConfig>;
  /** Throws ProviderError("invalid_response") on a malformed body; unknown events come back `ignored`. */
  parseWebhookEvent(body: unknown): WebhookEvent;
  /**
   * Every instance on the gateway, read with its global key (imports; the monitor's bulk state reads,
   * lib/monitor/bulk-state-reads.ts). Optional: a gateway without a listing has no import and no bulk
   * reads. Throws NotGlobalKeyError for any other key, never a partial list.
   */
  listInstances?(target: GatewayTarget, options?: ListOptions): Promise<GatewayInstance[]>;
  /**
   * Sends one text message from the instance (alerts through another line, lib/alerts/send-whatsapp.ts).
   * Optional: a gateway without it cannot be an alert sender. `number` is E.164 digits without "+".
   * Throws ProviderError: `rejected` when the session is closed or the number is not on WhatsApp.
   */
  sendText?(target: ChannelTarget, message: { number: string; text: string }): Promise<SentText>;
}

/** The gateway accepted the message for sending (not yet delivered to the phone). */
export interface SentText {
  messageId: string;
  /** As the gateway says (Evolution: PENDING). */
  status: string | null;
}

export interface ProviderOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Which addresses gateway URLs may reach (lib/net/outbound-guard.ts); the deployment's by default. */
  outbound?: OutboundPolicy;
  /** Caps requests in flight per gateway origin; createProviders makes one (20 per origin) when absent. */
  limiter?: OriginLimiter;
}

/**
 * How a listing is read. An import waits long for a big gateway; the monitor's bulk read (one listing
 * answering for many channels) gives up sooner and refuses an absurd size, then reads instance by instance.
 */
export interface ListOptions {
  timeoutMs?: number;
  /** An answer larger than this is `invalid_response` (not read further). */
  maxBytes?: number;
}
