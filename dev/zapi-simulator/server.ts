import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BodyError, readJson, sendJson, sendRaw } from "../evolution-simulator/http-io";
import {
  summary,
  type DownMode,
  type InstanceSpec,
  type InstanceSummary,
  type Scenario,
  type SimInstance,
  type ZapiSimulatorOptions,
  type ZapiWebhookEvent,
} from "./model";

/**
 * A local Z-API stand-in (README.md): the routes under `/instances/{id}/token/{token}/`, the
 * `Client-Token` check, the status body `{connected, error, smartphoneConnected}`, restart, QR code,
 * the instance data (`/me`) with its webhook URLs, the on-connected / on-disconnected URL settings and
 * their deliveries (POST, no custom header: Z-API cannot send one), and the awkward answers.
 *
 * Z-API documents the body of a refused Client-Token (`{"error":"null not allowed"}`, the value sent in
 * place of null) but no status for it nor for an unknown instance or a wrong instance token: the
 * simulator answers all three HTTP 400 with an `error` string, and the adapter reads the words, not
 * only the status.
 */

export interface ZapiSimulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:24332`. */
  url: string;
  port: number;
  clientToken: string;
  addInstance(spec: InstanceSpec): InstanceSummary;
  setScenario(id: string, scenario: Scenario, options?: { downMode?: DownMode }): InstanceSummary;
  /** The phone scans the QR code: connected (and the on-connected webhook fires). */
  pair(id: string): InstanceSummary;
  /** The phone unlinks the device: not connected, a QR scan needed (the on-disconnected webhook fires). */
  logOutFromPhone(id: string): InstanceSummary;
  stats(id: string): InstanceSummary;
  reset(): void;
  /** Resolves when no webhook delivery is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const STATUS_WORDS = {
  connected: "You are already connected.",
  restore: "You need to restore the session.",
  notConnected: "You are not connected.",
} as const;

const BAD_GATEWAY_PAGE =
  "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>" +
  "<hr><center>cloudflare</center></body></html>";

/** A 1×1 PNG: what the image route answers is a data URL, whatever the picture. */
const QR_IMAGE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

const ROUTE = /^\/instances\/([^/]+)\/token\/([^/]+)\/(.+)$/;

class Core {
  readonly instances = new Map<string, SimInstance>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(readonly options: Required<Omit<ZapiSimulatorOptions, "port" | "host">>) {}

  upsert(spec: InstanceSpec): InstanceSummary {
    let instance = this.instances.get(spec.id);
    if (!instance) {
      instance = {
        id: spec.id, token: spec.token, scenario: "healthy", downMode: "502", phone: spec.phone ?? "5511900000000",
        connected: true, smartphoneConnected: true, webhooks: { connected: "", disconnected: "" }, qrCount: 0,
        calls: {}, deliveries: [], sent: [], timers: new Set(),
      };
      this.instances.set(spec.id, instance);
    }
    instance.token = spec.token;
    if (spec.phone) instance.phone = spec.phone;
    if (spec.webhooks) instance.webhooks = { ...instance.webhooks, ...spec.webhooks };
    this.apply(instance, spec.scenario ?? instance.scenario, spec.downMode);
    return summary(instance);
  }

  must(id: string): SimInstance {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`no Z-API instance "${id}" in the simulator`);
    return instance;
  }

  apply(instance: SimInstance, scenario: Scenario, downMode?: DownMode): void {
    for (const timer of instance.timers) clearTimeout(timer);
    instance.timers.clear();
    instance.scenario = scenario;
    if (downMode) instance.downMode = downMode;
    instance.connected = scenario === "healthy" || scenario === "phone_offline";
    instance.smartphoneConnected = scenario !== "phone_offline" && instance.connected;
  }

  /** Connected now (a scan, a restart that restored the session): the on-connected webhook fires. */
  connect(instance: SimInstance): void {
    this.apply(instance, "healthy");
    this.deliver(instance, "connected", {
      type: "ConnectedCallback", connected: true, momment: Date.now(), instanceId: instance.id, phone: instance.phone,
    });
  }

  disconnect(instance: SimInstance, scenario: "needs_restore" | "not_connected", error: string): void {
    this.apply(instance, scenario);
    this.deliver(instance, "disconnected", {
      momment: Date.now(), error, disconnected: true, type: "DisconnectedCallback", instanceId: instance.id,
    });
  }

  /** `/restart`: the session comes back after a while if it has one to restore; a never-paired one stays as it is. */
  restart(instance: SimInstance): void {
    if (instance.scenario !== "needs_restore" && instance.scenario !== "healthy" && instance.scenario !== "phone_offline") return;
    const wasUp = instance.connected;
    this.apply(instance, "needs_restore");
    if (wasUp) this.deliver(instance, "disconnected", {
      momment: Date.now(), error: "Instance restarted", disconnected: true, type: "DisconnectedCallback", instanceId: instance.id,
    });
    const timer = setTimeout(() => {
      instance.timers.delete(timer);
      if (!this.stopped && instance.scenario === "needs_restore") this.connect(instance);
    }, this.options.restartLatencyMs);
    instance.timers.add(timer);
  }

  private deliver(instance: SimInstance, event: ZapiWebhookEvent, body: unknown): void {
    const url = instance.webhooks[event];
    if (!url || this.stopped) return;
    const record: SimInstance["deliveries"][number] = { url, body, status: null };
    instance.deliveries.push(record);
    const sent = fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    })
      .then(async (response) => {
        record.status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      })
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  reset(): void {
    for (const instance of this.instances.values()) for (const timer of instance.timers) clearTimeout(timer);
    this.instances.clear();
  }

  shutdown(): void {
    this.stopped = true;
    for (const instance of this.instances.values()) for (const timer of instance.timers) clearTimeout(timer);
  }
}

function meBody(instance: SimInstance) {
  return {
    id: instance.id,
    token: instance.token,
    name: `Sim ${instance.id}`,
    due: Date.now() + 30 * 86_400_000,
    connected: instance.connected,
    paymentStatus: "RECEIVED",
    created: "2026-01-05T12:00:00.000Z",
    connectedCallbackUrl: instance.webhooks.connected,
    deliveryCallbackUrl: "",
    disconnectedCallbackUrl: instance.webhooks.disconnected,
    messageStatusCallbackUrl: "",
    presenceChatCallbackUrl: "",
    receivedCallbackUrl: "",
    receiveCallbackSentByMe: false,
    callRejectAuto: false,
    callRejectMessage: "",
    autoReadMessage: false,
    initialDataCallbackUrl: "",
  };
}

async function handle(core: Core, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(`http://simulator${req.url ?? "/"}`);
  const match = ROUTE.exec(url.pathname);
  // An unknown route: the JAX-RS answer Z-API's server gives.
  if (!match) return sendJson(res, 404, { error: "NOT_FOUND", message: "Unable to find matching target resource method" });
  const [, id, token, route] = match.map((part) => decodeURIComponent(part)) as [string, string, string, string];

  const clientToken = req.headers["client-token"];
  const presented = typeof clientToken === "string" && clientToken !== "" ? clientToken : null;
  if (presented !== core.options.clientToken) return sendJson(res, 400, { error: `${presented ?? "null"} not allowed` });
  const instance = core.instances.get(id);
  if (!instance || instance.token !== token) return sendJson(res, 400, { error: "Instance not found" });
  instance.calls[route] = (instance.calls[route] ?? 0) + 1;

  switch (instance.scenario) {
    case "gateway_down":
      if (instance.downMode === "reset") return void req.socket.destroy();
      // "hang": never answer; stop() closes such connections.
      if (instance.downMode === "hang") return;
      return sendRaw(res, 502, BAD_GATEWAY_PAGE, "text/html; charset=utf-8");
    case "malformed_json":
      return sendRaw(res, 200, "<!doctype html><title>Z-API</title>{connected:", "text/html; charset=utf-8");
    case "error_200":
      return sendJson(res, 200, { error: "Something went wrong, please try again later" });
    default:
      break;
  }

  const method = req.method ?? "GET";
  const wrongMethod = () => sendJson(res, 405, { error: "HTTP 405 Method Not Allowed" });
  switch (route) {
    case "status": {
      if (method !== "GET") return wrongMethod();
      const error = instance.connected ? STATUS_WORDS.connected : instance.scenario === "not_connected" ? STATUS_WORDS.notConnected : STATUS_WORDS.restore;
      return sendJson(res, 200, { connected: instance.connected, error, smartphoneConnected: instance.smartphoneConnected });
    }
    case "restart":
      if (method !== "GET") return wrongMethod();
      core.restart(instance);
      return sendJson(res, 200, { value: true });
    case "disconnect":
      if (method !== "GET") return wrongMethod();
      core.disconnect(instance, "not_connected", "Device has been disconnected");
      return sendJson(res, 200, { value: true });
    case "qr-code":
    case "qr-code/image": {
      if (method !== "GET") return wrongMethod();
      if (instance.connected) return sendJson(res, 200, { connected: true });
      instance.qrCount += 1;
      const code = `2@sim-zapi-${instance.id}-${instance.qrCount},${"A".repeat(43)}=,${"B".repeat(43)}=`;
      return sendJson(res, 200, { value: route === "qr-code" ? code : QR_IMAGE });
    }
    case "me":
      if (method !== "GET") return wrongMethod();
      return sendJson(res, 200, meBody(instance));
    case "update-webhook-connected":
    case "update-webhook-disconnected": {
      if (method !== "PUT") return wrongMethod();
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (error) {
        if (error instanceof BodyError) return sendJson(res, 415, { error: error.message });
        throw error;
      }
      const value = (body as { value?: unknown } | null)?.value;
      if (typeof value !== "string") return sendJson(res, 400, { error: "value is required" });
      instance.webhooks[route === "update-webhook-connected" ? "connected" : "disconnected"] = value;
      return sendJson(res, 200, { value: true });
    }
    case "send-text":
      if (method !== "POST") return wrongMethod();
      return sendText(instance, req, res);
    default:
      return sendJson(res, 404, { error: "NOT_FOUND", message: "Unable to find matching target resource method" });
  }
}

const SENT_KEPT = 200;

/**
 * `POST send-text` `{"phone","message"}` → `{"zaapId","messageId","id"}` (`id` repeats `messageId`, "for
 * Zapier"), as developer.z-api.io documents it. Z-API documents no answer for a send while the instance
 * is not connected, nor for a bad phone: the simulator answers them 400 with an `error` string in
 * Z-API's manner (its status words, "phone is required"), and records only what it accepted.
 */
async function sendText(instance: SimInstance, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (error) {
    if (error instanceof BodyError) return sendJson(res, 415, { error: error.message });
    throw error;
  }
  const { phone, message } = (body ?? {}) as { phone?: unknown; message?: unknown };
  if (typeof phone !== "string" || !/^\d{10,15}$/.test(phone)) return sendJson(res, 400, { error: "phone is required (digits only, DDI DDD NUMBER)" });
  if (typeof message !== "string" || message.trim() === "") return sendJson(res, 400, { error: "message is required" });
  if (!instance.connected) {
    return sendJson(res, 400, { error: instance.scenario === "not_connected" ? STATUS_WORDS.notConnected : STATUS_WORDS.restore });
  }
  const zaapId = randomBytes(16).toString("hex").toUpperCase();
  const messageId = randomBytes(10).toString("hex").toUpperCase();
  instance.sent.push({ zaapId, messageId, phone, message, at: new Date().toISOString() });
  if (instance.sent.length > SENT_KEPT) instance.sent.splice(0, instance.sent.length - SENT_KEPT);
  return sendJson(res, 200, { zaapId, messageId, id: messageId });
}

export async function startZapiSimulator(options: ZapiSimulatorOptions): Promise<ZapiSimulator> {
  if (!options.clientToken) throw new Error("startZapiSimulator: clientToken is required");
  const core = new Core({ clientToken: options.clientToken, restartLatencyMs: options.restartLatencyMs ?? 300 });
  const host = options.host ?? "127.0.0.1";
  const server = createServer({ keepAliveTimeout: 10_000, requestTimeout: 0 }, (req, res) => {
    handle(core, req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end(String(error));
    });
  });
  server.listen({ port: options.port ?? 0, host });
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    clientToken: options.clientToken,
    addInstance: (spec) => core.upsert(spec),
    setScenario: (id, scenario, scenarioOptions = {}) => {
      const instance = core.must(id);
      core.apply(instance, scenario, scenarioOptions.downMode);
      return summary(instance);
    },
    pair: (id) => {
      const instance = core.must(id);
      if (instance.connected) throw new Error(`instance "${id}" is already connected`);
      core.connect(instance);
      return summary(instance);
    },
    logOutFromPhone: (id) => {
      const instance = core.must(id);
      core.disconnect(instance, "not_connected", "Device has been disconnected");
      return summary(instance);
    },
    stats: (id) => summary(core.must(id)),
    reset: () => core.reset(),
    idle: () => core.idle(),
    stop: async () => {
      core.shutdown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
