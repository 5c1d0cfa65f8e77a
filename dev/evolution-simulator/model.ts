/**
 * The simulator's vocabulary. It stands in for an Evolution API v2 server (2.3.x), so its names and
 * lists are its own copy of the gateway's, deliberately not imported from the adapter under test.
 */

export const SIM_STATES = ["open", "connecting", "close", "refused"] as const;
export type SimState = (typeof SIM_STATES)[number];

/**
 * What the gateway's own database says (`Instance.connectionStatus`, which `fetchInstances` lists): the
 * enum has no `refused`. 2.3.6 writes it only at a few points of `connectionUpdate`, after the live state
 * changed (see `storeStatus` in instance-state.ts), so it lags the live `connectionState` and can miss
 * a change altogether.
 */
export const STORED_STATUSES = ["open", "connecting", "close"] as const;
export type StoredStatus = (typeof STORED_STATUSES)[number];

export const SCENARIOS = [
  "healthy",
  "drops_and_recovers",
  "flapping",
  "logged_out",
  "never_paired",
  "replaced",
  "stuck_connecting",
  "slow",
  "gateway_down",
  "wrong_api_key",
  "malformed_json",
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/**
 * How an instance in `gateway_down` fails: an HTTP 503 page, no answer at all, a reset connection, or
 * an HTTP 500 whose message carries a NUL and a lone surrogate (a gateway leaking its driver's error).
 */
export const DOWN_MODES = ["503", "hang", "reset", "500"] as const;
export type DownMode = (typeof DOWN_MODES)[number];

export interface ScenarioOptions {
  /** Added to every API answer for the instance. `slow` defaults it to 3000. */
  latencyMs?: number;
  downMode?: DownMode;
  /** drops_and_recovers: back to open by itself after this long (default 8000). */
  recoverAfterMs?: number;
  /** flapping: time between flips (default 3000). */
  flapIntervalMs?: number;
}

export interface WebhookInput {
  enabled: boolean;
  url: string;
  headers?: Record<string, string>;
  byEvents?: boolean;
  base64?: boolean;
  events?: string[];
}

export interface InstanceSpec extends ScenarioOptions {
  name: string;
  token?: string;
  scenario?: Scenario;
  /** Overrides the scenario's starting state silently (e.g. `close` as after a gateway restart). */
  state?: SimState;
  reasonCode?: number | null;
  /** Overrides what fetchInstances lists, e.g. `open` on an instance that never connected (field reports). */
  storedStatus?: StoredStatus;
  webhook?: WebhookInput;
}

/** The row `webhook/find` answers, as the gateway stores it. */
export interface StoredWebhook {
  id: string;
  url: string;
  headers: Record<string, string>;
  enabled: boolean;
  events: string[];
  webhookByEvents: boolean;
  webhookBase64: boolean;
  createdAt: string;
  updatedAt: string;
  instanceId: string;
}

export interface ActiveQr {
  code: string;
  base64: string;
  count: number;
}

export interface DeliveryStats {
  /** Webhook POSTs answered 2xx. */
  delivered: number;
  /** Deliveries given up on (attempts exhausted or a status that is not retried). */
  failed: number;
  attempts: number;
}

/** A message `POST /message/sendText` accepted: what the simulator was asked to send, kept for tests and people. */
export interface SentMessage {
  id: string;
  /** As asked (digits), and the JID the gateway addressed. */
  number: string;
  remoteJid: string;
  text: string;
  at: string;
}

/** Sent messages kept per instance (the oldest go first), so a long demo does not grow without bound. */
export const SENT_KEPT = 200;

export interface SimInstance {
  id: string;
  name: string;
  token: string;
  scenario: Scenario;
  downMode: DownMode;
  latencyMs: number;
  recoverAfterMs: number;
  flapIntervalMs: number;
  state: SimState;
  /** The database row's status (fetchInstances), behind `state`: see STORED_STATUSES. */
  storedStatus: StoredStatus;
  /** Pending writes of `storedStatus` (statusStoreDelayMs); never cleared by a scenario change, as on the gateway. */
  storeWrites: Set<NodeJS.Timeout>;
  /** Order of status writes: a write applies only if it is newer than the last one applied. */
  storeSeq: { issued: number; applied: number };
  reasonCode: number | null;
  disconnectedAt: string | null;
  /** Logged out: reconnecting needs a QR scan (the `pair` control call stands in for the phone). */
  needsQr: boolean;
  qr: ActiveQr | null;
  /** The paired phone's JID; null until the instance was ever paired (a new, never-scanned instance). */
  ownerJid: string | null;
  /** Kept from the last pairing so the same phone comes back after a re-pair. */
  phoneJid: string;
  profileName: string | null;
  webhook: StoredWebhook | null;
  /** API calls received, keyed `METHOD /first/second` (e.g. `POST /instance/restart`). */
  calls: Record<string, number>;
  deliveries: DeliveryStats;
  /** Messages sent through `sendText`, oldest first (at most SENT_KEPT). */
  sent: SentMessage[];
  /** Timers owned by the current scenario; cleared whenever the scenario changes. */
  timers: Set<NodeJS.Timeout>;
  /** Last webhook `date_time` in ms: kept strictly increasing so distinct events never share one. */
  lastEventMs: number;
  createdAt: string;
}

export interface InstanceSummary {
  name: string;
  token: string;
  scenario: Scenario;
  state: SimState;
  storedStatus: StoredStatus;
  reasonCode: number | null;
  latencyMs: number;
  downMode: DownMode;
  needsQr: boolean;
  qr: { code: string; count: number } | null;
  webhook: StoredWebhook | null;
  calls: Record<string, number>;
  deliveries: DeliveryStats;
  sent: SentMessage[];
}

export interface DeliveryOptions {
  /** Chance that a delivery is sent twice. */
  duplicateRate: number;
  /** Chance, per position, that two neighbouring deliveries swap. */
  reorderRate: number;
  /** Events in one reconnect burst when an instance drops (the gateway retrying: close, connecting, …). */
  burstSize: number;
  /** Attempts per delivery, the first included (the real gateway: 10). */
  maxAttempts: number;
  retryBaseMs: number;
  timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  duplicateRate: 0.25,
  reorderRate: 0.25,
  burstSize: 4,
  maxAttempts: 10,
  retryBaseMs: 100,
  timeoutMs: 5000,
};

export interface SimulatorOptions {
  port?: number;
  host?: string;
  globalApiKey: string;
  seed?: number;
  /** How long connect and restart take (the real gateway: ~2 s). Default 300. */
  connectLatencyMs?: number;
  /** Default per-instance latency for every API answer. Default 0. */
  latencyMs?: number;
  /** QR codes issued per pairing attempt before the gateway gives up with `refused`. Default 5. */
  qrLimit?: number;
  /** A pending QR is replaced by a new one this often. Default 20000. */
  qrRefreshMs?: number;
  /**
   * How long after the live state changes the gateway's database row follows (fetchInstances lags
   * connectionState). Default 0: written at once, but still only where 2.3.6 writes it.
   */
  statusStoreDelayMs?: number;
  webhook?: Partial<DeliveryOptions>;
}

export type ResolvedOptions = Required<Omit<SimulatorOptions, "webhook" | "port" | "host">> & {
  webhook: DeliveryOptions;
};

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  if (!options.globalApiKey) throw new Error("startEvolutionSimulator: globalApiKey is required");
  return {
    globalApiKey: options.globalApiKey,
    seed: options.seed ?? 1,
    connectLatencyMs: options.connectLatencyMs ?? 300,
    latencyMs: options.latencyMs ?? 0,
    qrLimit: options.qrLimit ?? 5,
    qrRefreshMs: options.qrRefreshMs ?? 20_000,
    statusStoreDelayMs: options.statusStoreDelayMs ?? 0,
    webhook: { ...DEFAULT_DELIVERY, ...options.webhook },
  };
}

/** `connection.update` → `CONNECTION_UPDATE`: how the gateway matches a delivery against the config. */
export function configEventName(event: string): string {
  return event.replace(/[.-]/g, "_").toUpperCase();
}

/** Event names the gateway accepts in a webhook config. Note GROUP_UPDATE (singular) next to GROUPS_UPSERT. */
export const GATEWAY_WEBHOOK_EVENTS: readonly string[] = [
  "APPLICATION_STARTUP",
  "QRCODE_UPDATED",
  "MESSAGES_SET",
  "MESSAGES_UPSERT",
  "MESSAGES_EDITED",
  "MESSAGES_UPDATE",
  "MESSAGES_DELETE",
  "SEND_MESSAGE",
  "CONTACTS_SET",
  "CONTACTS_UPSERT",
  "CONTACTS_UPDATE",
  "PRESENCE_UPDATE",
  "CHATS_SET",
  "CHATS_UPSERT",
  "CHATS_UPDATE",
  "CHATS_DELETE",
  "GROUPS_UPSERT",
  "GROUP_UPDATE",
  "GROUP_PARTICIPANTS_UPDATE",
  "CONNECTION_UPDATE",
  "LABELS_EDIT",
  "LABELS_ASSOCIATION",
  "CALL",
  "TYPEBOT_START",
  "TYPEBOT_CHANGE_STATUS",
  "REMOVE_INSTANCE",
  "LOGOUT_INSTANCE",
  "INSTANCE_CREATE",
  "INSTANCE_DELETE",
  "STATUS_INSTANCE",
];
