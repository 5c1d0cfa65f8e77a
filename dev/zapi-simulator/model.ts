/**
 * What the Z-API simulator keeps per instance. Z-API's own words (developer.z-api.io, read 2026-11-30):
 * an instance is an id plus its token in the path, the account's security token in the `Client-Token`
 * header, a status `{connected, error, smartphoneConnected}`, and one webhook URL per event.
 */

export type Scenario =
  /** Connected, phone online. */
  | "healthy"
  /** Connected, the phone is off the internet (`smartphoneConnected: false`). */
  | "phone_offline"
  /** The session dropped: "You need to restore the session." A restart brings it back. */
  | "needs_restore"
  /** Not connected to any phone ("You are not connected."): only a QR scan brings it up. */
  | "not_connected"
  /** The gateway (or the proxy in front of it) is down, per `downMode`. */
  | "gateway_down"
  /** HTTP 200 with a body that is not JSON. */
  | "malformed_json"
  /** HTTP 200 whose JSON body is only an error (no `connected`). */
  | "error_200";

export type DownMode = "reset" | "hang" | "502";

/** The two events whose URLs Z-API's webhook settings hold and Sentinela reads (on-connected / on-disconnected). */
export type ZapiWebhookEvent = "connected" | "disconnected";

export interface InstanceSpec {
  /** The instance id (path segment after /instances/). */
  id: string;
  /** The instance token (path segment after /token/). */
  token: string;
  scenario?: Scenario;
  downMode?: DownMode;
  /** The paired phone, digits only. */
  phone?: string;
  webhooks?: Partial<Record<ZapiWebhookEvent, string>>;
}

export interface ZapiSimulatorOptions {
  /** The account's security token every request must carry in `Client-Token`. */
  clientToken: string;
  port?: number;
  host?: string;
  /** How long a restart takes before the instance is connected again. */
  restartLatencyMs?: number;
}

/** A message `POST send-text` accepted: what the simulator was asked to send, kept for tests and people. */
export interface SentMessage {
  zaapId: string;
  messageId: string;
  phone: string;
  message: string;
  at: string;
}

export interface SimInstance {
  id: string;
  token: string;
  scenario: Scenario;
  downMode: DownMode;
  phone: string;
  connected: boolean;
  smartphoneConnected: boolean;
  webhooks: Record<ZapiWebhookEvent, string>;
  qrCount: number;
  calls: Record<string, number>;
  deliveries: { url: string; body: unknown; status: number | null }[];
  /** Messages accepted by `send-text`, oldest first. */
  sent: SentMessage[];
  timers: Set<NodeJS.Timeout>;
}

export interface InstanceSummary {
  id: string;
  scenario: Scenario;
  connected: boolean;
  smartphoneConnected: boolean;
  webhooks: Record<ZapiWebhookEvent, string>;
  calls: Record<string, number>;
  deliveries: SimInstance["deliveries"];
  sent: SentMessage[];
}

export function summary(instance: SimInstance): InstanceSummary {
  return {
    id: instance.id,
    scenario: instance.scenario,
    connected: instance.connected,
    smartphoneConnected: instance.smartphoneConnected,
    webhooks: { ...instance.webhooks },
    calls: { ...instance.calls },
    deliveries: instance.deliveries.map((delivery) => ({ ...delivery })),
    sent: instance.sent.map((message) => ({ ...message })),
  };
}
