import { readAnswer, requestGateway, snippetOf, type GatewayRequest, type GatewayResponse } from "@/lib/providers/http";
import { parseWahaWebhookEvent } from "@/lib/providers/waha-webhook";
import {
  WAHA_WEBHOOK_EVENTS,
  connectResultOf,
  isOwnEntry,
  qrValueSchema,
  sessionListSchema,
  sessionReportOf,
  sentMessageIdOf,
  sessionSchema,
  toGatewayInstance,
  toWebhookConfig,
  toWebhookEntry,
  wahaErrorWords,
  type WahaSession,
} from "@/lib/providers/waha-schemas";
import {
  NotGlobalKeyError,
  ProviderError,
  type ChannelTarget,
  type ConnectResult,
  type GatewayInstance,
  type GatewayTarget,
  type OwnWebhook,
  type Provider,
  type ProviderOptions,
  type SentText,
  type StateReport,
  type WebhookConfig,
} from "@/lib/providers/types";

/**
 * WAHA (WhatsApp HTTP API), as its 2024.10 source and the 2025 docs describe it: a channel is a session
 * (`instanceName`), the API key is the server's `X-Api-Key`. It reports, it never decides: a WAHA status
 * becomes a neutral report (waha-schemas.ts), every failure a typed ProviderError.
 *
 * What must stay true about webhooks: WAHA keeps a list of webhooks per session, and the platform's are
 * on it. Only Sentinela's own entry is ever read or written (isOwnEntry); every other entry, and the rest
 * of the session's config, goes back exactly as WAHA gave it, because an update replaces the whole
 * config. An update also restarts a running session (WAHA stops and starts it), so Sentinela writes
 * only when its entry drifted.
 */

type Call = Pick<GatewayRequest, "operation" | "method" | "path" | "body">;

/** Listing every session may take long on a big server (WAHA reads each one's `me`). */
const LIST_TIMEOUT_FLOOR_MS = 60_000;

const sessionPath = (target: ChannelTarget, suffix = "") => `/api/sessions/${encodeURIComponent(target.instanceName)}${suffix}`;

export type WahaProvider = Provider & Required<Pick<Provider, "restart" | "connect" | "getWebhook" | "setWebhook" | "listInstances" | "sendText">>;

export function createWahaProvider(options: ProviderOptions): WahaProvider {
  const client = { timeoutMs: options.timeoutMs, fetch: options.fetch, outbound: options.outbound, limiter: options.limiter };

  function call(target: { baseUrl: string; apiKey: string }, request: Call, timeoutMs = client.timeoutMs): Promise<GatewayResponse> {
    return requestGateway({ ...client, timeoutMs }, { ...request, baseUrl: target.baseUrl, headers: { "x-api-key": target.apiKey } });
  }

  async function readSession(target: ChannelTarget, operation: string): Promise<{ session: WahaSession; latencyMs: number }> {
    const response = await call(target, { operation, method: "GET", path: sessionPath(target) });
    return { session: readAnswer(sessionSchema, response, operation), latencyMs: response.latencyMs };
  }

  async function sessionRoute(target: ChannelTarget, operation: string, route: "start" | "restart"): Promise<ConnectResult> {
    const response = await call(target, { operation, method: "POST", path: sessionPath(target, `/${route}`) });
    return connectResultOf(readAnswer(sessionSchema, response, operation));
  }

  return {
    kind: "waha",
    webhookEventNames: WAHA_WEBHOOK_EVENTS,

    async getState(target: ChannelTarget): Promise<StateReport> {
      const { session, latencyMs } = await readSession(target, "getState");
      return { ...sessionReportOf(session.status), latencyMs };
    },

    /** `POST …/restart`: stops and starts the session whatever its status (STOPPED and FAILED included). */
    restart(target: ChannelTarget): Promise<ConnectResult> {
      return sessionRoute(target, "restart", "restart");
    },

    /**
     * What the QR flow needs: open when WORKING, the current code when SCAN_QR_CODE, and otherwise the
     * session brought up (a stopped one started, a failed one restarted) so a code follows.
     */
    async connect(target: ChannelTarget): Promise<ConnectResult> {
      const operation = "connect";
      const { session } = await readSession(target, operation);
      switch (session.status) {
        case "WORKING":
          return { kind: "open" };
        case "STARTING":
          return { kind: "pending", count: 0 };
        case "STOPPED":
          return sessionRoute(target, operation, "start");
        case "FAILED":
          return sessionRoute(target, operation, "restart");
        case "SCAN_QR_CODE": {
          const path = `/api/${encodeURIComponent(target.instanceName)}/auth/qr?format=raw`;
          const response = await call(target, { operation, method: "GET", path });
          // WAHA counts no codes: 0 says "not counted", not "none yet".
          return { kind: "qr", code: readAnswer(qrValueSchema, response, operation).value, pairingCode: null, count: 0 };
        }
      }
    },

    async getWebhook(target: ChannelTarget, own?: OwnWebhook): Promise<WebhookConfig | null> {
      const { session } = await readSession(target, "getWebhook");
      const entries = session.config?.webhooks ?? [];
      const entry = own ? entries.find((candidate) => isOwnEntry(candidate, own)) : entries[0];
      return entry ? toWebhookConfig(entry) : null;
    },

    async setWebhook(target: ChannelTarget, config: WebhookConfig, own?: OwnWebhook): Promise<WebhookConfig> {
      const operation = "setWebhook";
      const accepted: ReadonlySet<string> = new Set(WAHA_WEBHOOK_EVENTS);
      const unknown = config.events.filter((event) => !accepted.has(event));
      if (unknown.length > 0) {
        throw new ProviderError("rejected", `${operation}: not WAHA webhook events: ${unknown.join(", ")}`, { operation });
      }
      // WAHA has neither per-event URLs nor a base64 switch: `byEvents` and `base64` have nothing to set.
      const mine: OwnWebhook = own ?? { url: config.url, secretHeader: "" };
      const { session } = await readSession(target, operation);
      const current = session.config ?? {};
      const others = (current.webhooks ?? []).filter((entry) => !isOwnEntry(entry, mine));
      const webhooks = config.enabled ? [...others, toWebhookEntry(config)] : others;
      const response = await call(target, {
        operation, method: "PUT", path: sessionPath(target), body: { config: { ...current, webhooks } },
      });
      const stored = readAnswer(sessionSchema, response, operation).config?.webhooks ?? [];
      const entry = stored.find((candidate) => isOwnEntry(candidate, { ...mine, url: config.url }));
      if (!config.enabled) return entry ? toWebhookConfig(entry) : { ...config, enabled: false };
      if (!entry) throw new ProviderError("rejected", `${operation}: WAHA did not keep the webhook`, { operation });
      return toWebhookConfig(entry);
    },

    parseWebhookEvent: parseWahaWebhookEvent,

    /**
     * `POST /api/sendText` `{session, chatId: "<digits>@c.us", text}`. Each engine answers its own message
     * object (WEBJS, NOWEB, GOWS), so a success is a 2xx with a JSON object; its id is read where the
     * engine puts it (sentMessageIdOf). A session that is not WORKING answers 422, one not running 404.
     */
    async sendText(target: ChannelTarget, message: { number: string; text: string }): Promise<SentText> {
      const operation = "sendText";
      const body = { session: target.instanceName, chatId: `${message.number.replace(/\D/g, "")}@c.us`, text: message.text };
      let response: GatewayResponse;
      try {
        response = await call(target, { operation, method: "POST", path: "/api/sendText", body });
      } catch (error) {
        const words = error instanceof ProviderError && error.detail.status !== undefined ? wahaErrorWords(error.detail.snippet ?? "") : null;
        if (!(error instanceof ProviderError) || !words || error.message.includes(words)) throw error;
        throw new ProviderError(error.kind, `${operation}: WAHA answered HTTP ${error.detail.status}: ${words}`, error.detail);
      }
      const answer = response.body;
      if (typeof answer !== "object" || answer === null || Array.isArray(answer)) {
        throw new ProviderError("invalid_response", `${operation}: WAHA answered HTTP ${response.status} without a message object`, {
          status: response.status, snippet: snippetOf(response.raw), operation,
        });
      }
      const record = answer as Record<string, unknown>;
      return { messageId: sentMessageIdOf(record), status: typeof record.status === "string" ? record.status : null };
    },

    /**
     * `GET /api/sessions?all=true`: every session, stopped ones included. The key is the server's: a
     * key WAHA refuses is not a global key, never a partial list. WAHA gives no per-session token.
     */
    async listInstances(target: GatewayTarget): Promise<GatewayInstance[]> {
      const operation = "listInstances";
      const timeoutMs = Math.max(client.timeoutMs, LIST_TIMEOUT_FLOOR_MS);
      const response = await call(target, { operation, method: "GET", path: "/api/sessions?all=true" }, timeoutMs).catch((error: unknown) => {
        const status = error instanceof ProviderError ? error.detail.status : undefined;
        if (status === 401 || status === 403) throw new NotGlobalKeyError(operation, null, status);
        throw error;
      });
      return readAnswer(sessionListSchema, response, operation).map(toGatewayInstance);
    },
  };
}
