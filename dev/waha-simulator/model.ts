/**
 * The WAHA simulator's vocabulary: WAHA's own names (its 2024.10 source, `src/structures/*.dto.ts`, and
 * the 2025 docs), deliberately not imported from the adapter under test.
 */

export const SESSION_STATUSES = ["STOPPED", "STARTING", "SCAN_QR_CODE", "WORKING", "FAILED"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** WAHAEvents: what a session webhook's `events` may name (`*`: all of them). */
export const WAHA_EVENTS: readonly string[] = [
  "session.status",
  "message",
  "message.reaction",
  "message.any",
  "message.ack",
  "message.waiting",
  "message.revoked",
  "state.change",
  "group.join",
  "group.leave",
  "presence.update",
  "poll.vote",
  "poll.vote.failed",
  "chat.archive",
  "call.received",
  "call.accepted",
  "call.rejected",
  "label.upsert",
  "label.deleted",
  "label.chat.added",
  "label.chat.deleted",
];

/**
 * healthy: WORKING. stopped: STOPPED (start/restart bring it up). failed: FAILED with its credentials
 * (a restart brings it back). logged_out: the phone unlinked the device: FAILED, and a restart ends in
 * SCAN_QR_CODE. needs_qr: SCAN_QR_CODE (never paired). stuck_starting: STARTING forever. The rest are
 * faults of the API in front of the session: slow answers, a gateway that is down (a proxy's 502 page, hang,
 * reset, or a 500 with WAHA's serialized exception), garbage JSON, a 200 that carries an error body (a
 * proxy in front of WAHA; WAHA itself answers errors with their HTTP status).
 */
export const SCENARIOS = [
  "healthy",
  "stopped",
  "failed",
  "logged_out",
  "needs_qr",
  "stuck_starting",
  "slow",
  "gateway_down",
  "malformed_json",
  "error_200",
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const DOWN_MODES = ["502", "hang", "reset", "500"] as const;
export type DownMode = (typeof DOWN_MODES)[number];

/** One entry of `config.webhooks`, exactly as WAHA stores and answers it. */
export interface WebhookEntry {
  url: string;
  events: string[];
  hmac?: { key?: string } | null;
  retries?: { delaySeconds?: number; attempts?: number; policy?: string } | null;
  customHeaders?: { name: string; value: string }[] | null;
  [other: string]: unknown;
}

/** `config` as WAHA keeps it: webhooks plus whatever else was given (metadata, proxy, noweb, …), kept as is. */
export interface SessionConfig {
  webhooks?: WebhookEntry[];
  metadata?: Record<string, string>;
  [other: string]: unknown;
}

export interface ScenarioOptions {
  /** Added to every API answer for the session. `slow` defaults it to 3000. */
  latencyMs?: number;
  downMode?: DownMode;
}

/** WAHA's engines: each answers `POST /api/sendText` with its own message object (routes.ts). */
export const ENGINES = ["WEBJS", "NOWEB", "GOWS"] as const;
export type Engine = (typeof ENGINES)[number];

/** A message `POST /api/sendText` accepted: what the simulator was asked to send, kept for tests and people. */
export interface SentMessage {
  id: string;
  chatId: string;
  text: string;
  at: string;
}

export interface SessionSpec extends ScenarioOptions {
  name: string;
  /** The engine the session runs on (NOWEB when not given). */
  engine?: Engine;
  scenario?: Scenario;
  config?: SessionConfig;
  /** The paired phone, `5511…@c.us`; a default is made from the name. */
  meId?: string;
  pushName?: string;
}

export interface DeliveryStats {
  delivered: number;
  failed: number;
  attempts: number;
}

export interface SimSession {
  name: string;
  scenario: Scenario;
  status: SessionStatus;
  downMode: DownMode;
  latencyMs: number;
  config: SessionConfig;
  /** Stored credentials: a start brings the session to WORKING; without them, to SCAN_QR_CODE. */
  authorized: boolean;
  /** The paired account, shown as `me` while WORKING. */
  me: { id: string; pushName: string };
  qr: string | null;
  engine: Engine;
  /** Messages accepted by `POST /api/sendText`, oldest first. */
  sent: SentMessage[];
  calls: Record<string, number>;
  deliveries: DeliveryStats;
  timers: Set<NodeJS.Timeout>;
  /** Last webhook `timestamp` (ms): kept strictly increasing so distinct events never share one. */
  lastEventMs: number;
}

export interface SessionSummary {
  name: string;
  scenario: Scenario;
  status: SessionStatus;
  authorized: boolean;
  config: SessionConfig;
  qr: string | null;
  engine: Engine;
  sent: SentMessage[];
  calls: Record<string, number>;
  deliveries: DeliveryStats;
}

export interface WahaSimulatorOptions {
  port?: number;
  host?: string;
  /** The server's X-Api-Key (WAHA_API_KEY). */
  apiKey: string;
  /** How long STARTING lasts after a start or restart (a real one: a few seconds). Default 300. */
  startLatencyMs?: number;
  /** How long `GET /api/{session}/auth/qr` waits for SCAN_QR_CODE before its 422 (WAHA: 5000). Default 500. */
  qrWaitMs?: number;
  /** Per-attempt timeout of a webhook delivery. Default 5000. */
  deliveryTimeoutMs?: number;
}

export function summary(session: SimSession): SessionSummary {
  return {
    name: session.name,
    scenario: session.scenario,
    status: session.status,
    authorized: session.authorized,
    config: structuredClone(session.config),
    qr: session.qr,
    engine: session.engine,
    sent: session.sent.map((message) => ({ ...message })),
    calls: { ...session.calls },
    deliveries: { ...session.deliveries },
  };
}
