import type { OutboundPolicy } from "@/lib/net/outbound-guard";
import type { OriginLimiter } from "@/lib/providers/origin-limiter";

/**
 * One interface for every WhatsApp gateway. Adapters translate a gateway's HTTP API into these shapes
 * and classify every failure; they never decide what to do about it (that is the monitor's job).
 */

/** Every gateway kind. Adding one here without an adapter and traits (registry.ts, traits.ts) fails to compile. */
export const PROVIDER_KINDS = ["evolution", "waha", "zapi", "cloud-api"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export function isProviderKind(value: unknown): value is ProviderKind {
  return typeof value === "string" && (PROVIDER_KINDS as readonly string[]).includes(value);
}

/**
 * What a channel authenticates with. The API key is every gateway's (Evolution: global key or instance
 * token; WAHA: X-Api-Key; Z-API: instance token; Cloud API: access token). Which extra fields a kind
 * takes is its traits' `credentials` (traits.ts): secrets are sealed at rest, ids are not secrets.
 */
export interface ChannelCredentials {
  apiKey: string;
  /** Z-API: the account's security token (`Client-Token` header). A secret. */
  clientToken?: string;
  /** Cloud API: the WhatsApp Business Account the phone number belongs to. Not a secret. */
  wabaId?: string;
}

/** Where a channel lives on its gateway, with its decrypted credentials. Built on the service path only. */
export interface ChannelTarget extends ChannelCredentials {
  baseUrl: string;
  /** The gateway's name for the line: Evolution instance, WAHA session, Z-API instance id, Cloud API phone number id. */
  instanceName: string;
}

/** What the gateway says about the WhatsApp session, normalised. */
export type GatewayState = "open" | "connecting" | "close" | "refused";

/** A whole gateway: where it is and the key for all of it (Evolution: the global key). Service path only. */
export interface GatewayTarget {
  baseUrl: string;
  apiKey: string;
  /** Cloud API: the WhatsApp Business Account whose phone numbers are listed (the access token is the key). */
  wabaId?: string;
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

/**
 * What a gateway says about the WhatsApp session, in words every adapter can put its gateway's into.
 * Adapters fill it in; lib/monitor/classify-state.ts alone decides what it means for the channel.
 */
export interface SessionReport {
  state: GatewayState;
  /** Baileys DisconnectReason when the gateway exposes one (e.g. 401 logged out, 440 replaced). */
  reasonCode?: number;
  /** Closed, with no owner and no reason on record: the instance was never paired (needs a QR scan). */
  neverPaired?: boolean;
  /** The gateway shows a QR code and waits for the phone to scan it (WAHA: SCAN_QR_CODE). */
  awaitingScan?: boolean;
  /**
   * Closed by the gateway itself rather than by WhatsApp: its session was stopped there (by a person,
   * or a gateway restart that does not start sessions again), or failed there (WAHA: STOPPED, FAILED).
   */
  closedOnGateway?: "stopped" | "failed";
  /** The gateway's own word for the state, kept for the technical details (WAHA: `SCAN_QR_CODE`). */
  gatewayStatus?: string;
  /**
   * The provider limits what this number may send, whatever the session (Cloud API health_status):
   * `blocked` refuses to send (BLOCKED), `restricted` sends with limits (LIMITED, quality RED).
   * `reason` is the provider's own words (its error description), shown as the state's reason.
   */
  sending?: { verdict: "blocked" | "restricted"; reason: string };
}

export interface StateReport extends SessionReport {
  /**
   * Set when the gateway said close/refused but the follow-up lookup of the reason failed: the state is
   * still true, only `reasonCode` is unknown (and why).
   */
  reasonLookupError?: ProviderErrorKind;
  latencyMs: number;
}

export type ConnectResult =
  | { kind: "open" }
  | { kind: "qr"; code: string; base64?: string; pairingCode?: string | null; count: number }
  /** Not open yet; `awaitingScan`: the gateway came up waiting for a QR scan (WAHA: SCAN_QR_CODE). */
  | { kind: "pending"; count: number; awaitingScan?: boolean };

export interface WebhookConfig {
  enabled: boolean;
  url: string;
  events: string[];
  headers: Record<string, string>;
  byEvents: boolean;
  base64: boolean;
}

/**
 * Sentinela's own webhook on a gateway that keeps a list of webhooks per session (WAHA): how to tell it
 * from the platform's, which are never read, changed nor removed there.
 */
export interface OwnWebhook {
  /** Where Sentinela's receiver expects this channel's deliveries. */
  url: string;
  /** The header carrying the channel's webhook secret (an entry with it is Sentinela's, whatever its URL). */
  secretHeader: string;
}

/** A gateway push, normalised. `occurredAt` orders deliveries; `dedupeKey` drops repeats. */
export type WebhookEvent =
  | ({ kind: "connection"; instance: string; occurredAt: Date; dedupeKey: string } & SessionReport)
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
      /** The gateway does not know the instance, whatever the status it says it with (Graph: code 100 with 400). */
      notFound?: boolean;
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

/**
 * One gateway kind's adapter. Optional methods are capabilities: an adapter has exactly those its
 * traits declare (traits.ts; registry.test.ts checks both agree), and callers go without the others.
 */
export interface Provider {
  readonly kind: ProviderKind;
  /** Event names the gateway accepts in a webhook config; setWebhook refuses any other. */
  readonly webhookEventNames: readonly string[];
  getState(target: ChannelTarget): Promise<StateReport>;
  /**
   * Restart the session (Evolution v2: POST; WAHA: POST …/restart). Evolution throws `rejected` when the
   * instance is closed (the reconnect then connects). Absent: the gateway has no session to restart.
   */
  restart?(target: ChannelTarget): Promise<ConnectResult>;
  /** Ask the gateway to connect; answers the QR when it needs pairing. Absent: no QR pairing. */
  connect?(target: ChannelTarget): Promise<ConnectResult>;
  /**
   * The gateway's webhook for the instance: the one it keeps, or, on a gateway that keeps a list, the
   * entry that is `own` (null when none is). Without `own` a list gateway answers its first entry (an
   * import shows what is installed). Absent, with setWebhook: the gateway's webhook is not Sentinela's
   * to check.
   */
  getWebhook?(target: ChannelTarget, own?: OwnWebhook): Promise<WebhookConfig | null>;
  /**
   * Stores `config` as the instance's webhook. On a list gateway it replaces the entry that is `own` (or
   * adds one; `enabled: false` removes it) and keeps every other entry exactly as it was.
   */
  setWebhook?(target: ChannelTarget, config: WebhookConfig, own?: OwnWebhook): Promise<WebhookConfig>;
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
   * Throws ProviderError: `rejected` when the gateway refuses the message for a reason another attempt
   * will not change (a closed session, a number not on WhatsApp, the Cloud API's 24-hour window),
   * `misconfigured` for a refused key, `provider_down` for what may pass (a timeout, a 5xx, a rate limit).
   */
  sendText?(target: ChannelTarget, message: { number: string; text: string }): Promise<SentText>;
  /**
   * The apps subscribed to the webhooks of the channel's WhatsApp Business Account (Cloud API:
   * `GET /{waba-id}/subscribed_apps`). Optional, with subscribeApp: a gateway whose webhooks are an app's
   * subscription to an account rather than a URL per instance. Throws ProviderError("misconfigured")
   * when the target has no `wabaId`.
   */
  getSubscribedApps?(target: ChannelTarget): Promise<SubscribedApp[]>;
  /** Subscribes the access token's app to the account's webhooks (Cloud API: `POST /{waba-id}/subscribed_apps`); adds, never removes another app. */
  subscribeApp?(target: ChannelTarget): Promise<void>;
}

/** One app subscribed to an account's webhooks, as Graph names it (`whatsapp_business_api_data`). */
export interface SubscribedApp {
  id: string;
  name: string | null;
  link: string | null;
}

/** The gateway accepted the message for sending (not yet delivered to the phone). */
export interface SentText {
  /** The gateway's id for the message; null when its answer names none (WAHA: each engine answers its own shape). */
  messageId: string | null;
  /** As the gateway says (Evolution: PENDING; Cloud API: its message_status, else "accepted"). */
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
