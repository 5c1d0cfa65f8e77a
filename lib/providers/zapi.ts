import { readAnswer, requestGateway, snippetOf, type GatewayRequest, type GatewayResponse } from "@/lib/providers/http";
import { parseZapiWebhookEvent } from "@/lib/providers/zapi-webhook";
import {
  ZAPI_WEBHOOK_EVENTS,
  meSchema,
  qrImageSchema,
  refusalOf,
  sentTextSchema,
  statusReportOf,
  statusSchema,
  toWebhookConfig,
  urlWithSecret,
  valueTrueSchema,
  type ZapiStatus,
} from "@/lib/providers/zapi-schemas";
import {
  ProviderError,
  type ChannelTarget,
  type ConnectResult,
  type OwnWebhook,
  type Provider,
  type ProviderOptions,
  type SentText,
  type StateReport,
  type WebhookConfig,
} from "@/lib/providers/types";

/**
 * Z-API, as developer.z-api.io documents it (read 2026-11-30; unversioned): a channel is an instance id
 * (`instanceName`) with its instance token (the API key) in the path, and the account's security token
 * in the `Client-Token` header (the channel's client token). It reports, it never decides: a status
 * becomes a neutral report (zapi-schemas.ts), every failure a typed ProviderError.
 *
 * What must stay true:
 * - Z-API answers its refusals with an `error` string (a Client-Token "not allowed", an unknown
 *   instance), with a status it does not document: those words are a refused key (misconfigured)
 *   whatever the status, 200 included; any other 200 without `connected` is a rejection.
 * - Z-API keeps one URL per event and sends no custom header: Sentinela's URL carries the channel's
 *   secret as its last path segment. Only the on-connected / on-disconnected URLs are ever written.
 * - Z-API lists no instances for an instance token: no import, no bulk reads.
 * - A send (`POST …/send-text`) succeeds only with both ids in the answer; an error word instead
 *   (a 200 or a 4xx whose `error` is not a refused key, e.g. a session to restore) is a rejection.
 */

type Call = Pick<GatewayRequest, "operation" | "method" | "path" | "body">;

export type ZapiProvider = Provider & Required<Pick<Provider, "restart" | "connect" | "getWebhook" | "setWebhook" | "sendText">>;

const DEFAULT_SECRET_HEADER = "x-sentinela-webhook-secret";

const ROUTE_OF_EVENT = { connected: "update-webhook-connected", disconnected: "update-webhook-disconnected" } as const;

function instancePath(target: ChannelTarget, route: string): string {
  return `/instances/${encodeURIComponent(target.instanceName)}/token/${encodeURIComponent(target.apiKey)}/${route}`;
}

/** The instance token is in the path: never let it reach a message or a snippet. */
function withoutToken(error: ProviderError, token: string): ProviderError {
  if (!token) return error;
  const hide = (text: string) => text.split(token).join("[token]").split(encodeURIComponent(token)).join("[token]");
  const snippet = error.detail.snippet === undefined ? undefined : hide(error.detail.snippet);
  const copy = new ProviderError(error.kind, hide(error.message), { ...error.detail, ...(snippet === undefined ? {} : { snippet }) });
  return copy;
}

function refused(response: { status: number; raw: string }, operation: string, snippet: string): ProviderError | null {
  // 405 is Z-API's "wrong method" ("Method Not Allowed"): Sentinela's mistake, not a refused key.
  if (response.status === 405) return null;
  const refusal = refusalOf(response.raw.slice(0, 500));
  if (!refusal) return null;
  const message = refusal === "client_token"
    ? `${operation}: Z-API refused the client token (Client-Token)`
    : `${operation}: Z-API does not know this instance id and token`;
  return new ProviderError("misconfigured", message, { status: response.status, snippet, operation });
}

/** Z-API's own words in an error body (`{"error":"You are not connected."}`), when it has any. */
function errorWords(raw: string): string | null {
  try {
    const body = JSON.parse(raw) as { error?: unknown } | null;
    return typeof body?.error === "string" && body.error.trim() !== "" ? body.error.slice(0, 200) : null;
  } catch {
    return null;
  }
}

export function createZapiProvider(options: ProviderOptions): ZapiProvider {
  const client = { timeoutMs: options.timeoutMs, fetch: options.fetch, outbound: options.outbound, limiter: options.limiter };

  async function call(target: ChannelTarget, request: Call): Promise<GatewayResponse> {
    const headers: Record<string, string> = target.clientToken ? { "client-token": target.clientToken } : {};
    try {
      const response = await requestGateway(client, {
        ...request,
        path: instancePath(target, request.path),
        baseUrl: target.baseUrl,
        headers,
      });
      // A 200 whose only word is a refusal: the key is wrong, whatever the status says.
      const body = response.body as { error?: unknown } | null;
      if (typeof body === "object" && body !== null && typeof body.error === "string" && !("connected" in body) && !("value" in body)) {
        const refusal = refused(response, request.operation, snippetOf(response.raw));
        if (refusal) throw refusal;
        throw new ProviderError("rejected", `${request.operation}: Z-API answered HTTP ${response.status} with an error: ${body.error.slice(0, 200)}`, {
          status: response.status, snippet: snippetOf(response.raw), operation: request.operation,
        });
      }
      return response;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const status = error.detail.status;
      if (status !== undefined && status >= 400 && status < 500 && error.kind !== "misconfigured") {
        const refusal = refused({ status, raw: error.detail.snippet ?? "" }, request.operation, error.detail.snippet ?? "");
        if (refusal) throw withoutToken(refusal, target.apiKey);
        const words = errorWords(error.detail.snippet ?? "");
        if (words) {
          throw withoutToken(new ProviderError(error.kind, `${request.operation}: Z-API answered HTTP ${status}: ${words}`, error.detail), target.apiKey);
        }
      }
      throw withoutToken(error, target.apiKey);
    }
  }

  async function readStatus(target: ChannelTarget, operation: string): Promise<{ status: ZapiStatus; latencyMs: number }> {
    const response = await call(target, { operation, method: "GET", path: "status" });
    return { status: readAnswer(statusSchema, response, operation), latencyMs: response.latencyMs };
  }

  async function readMe(target: ChannelTarget, operation: string) {
    return readAnswer(meSchema, await call(target, { operation, method: "GET", path: "me" }), operation);
  }

  async function restart(target: ChannelTarget, operation: string): Promise<ConnectResult> {
    const answer = readAnswer(valueTrueSchema, await call(target, { operation, method: "GET", path: "restart" }), operation);
    if (!answer.value) throw new ProviderError("rejected", `${operation}: Z-API did not restart the instance`, { operation, status: 200 });
    return { kind: "pending", count: 0 };
  }

  return {
    kind: "zapi",
    webhookEventNames: ZAPI_WEBHOOK_EVENTS,

    async getState(target: ChannelTarget): Promise<StateReport> {
      const { status, latencyMs } = await readStatus(target, "getState");
      return { ...statusReportOf(status), latencyMs };
    },

    /** `GET …/restart`: Z-API restores the session without a new scan (a never-paired one stays unpaired). */
    restart(target: ChannelTarget): Promise<ConnectResult> {
      return restart(target, "restart");
    },

    /**
     * What the QR flow needs: open when connected; the QR image when Z-API waits for a scan; otherwise
     * (a session to restore) a restart, so the status says which next.
     */
    async connect(target: ChannelTarget): Promise<ConnectResult> {
      const operation = "connect";
      const { status } = await readStatus(target, operation);
      if (status.connected) return { kind: "open" };
      if (!statusReportOf(status).awaitingScan) return restart(target, operation);
      const answer = readAnswer(qrImageSchema, await call(target, { operation, method: "GET", path: "qr-code/image" }), operation);
      if (typeof answer.value !== "string") return { kind: "open" };
      const image = answer.value.startsWith("data:image/") ? answer.value : undefined;
      // Z-API counts no codes: 0 says "not counted", not "none yet".
      return { kind: "qr", code: answer.value, ...(image ? { base64: image } : {}), pairingCode: null, count: 0 };
    },

    async getWebhook(target: ChannelTarget, own?: OwnWebhook): Promise<WebhookConfig | null> {
      const operation = "getWebhook";
      const config = toWebhookConfig(await readMe(target, operation), own);
      if (config === "split") {
        throw new ProviderError("rejected", `${operation}: the on-connected and on-disconnected URLs differ: left as they are`, { operation });
      }
      return config;
    },

    /**
     * Sets the on-connected / on-disconnected URLs to `config.url` plus the secret (from `own`'s header
     * in `config.headers`); an event left out, or `enabled: false`, clears only a URL that is ours.
     */
    async setWebhook(target: ChannelTarget, config: WebhookConfig, own?: OwnWebhook): Promise<WebhookConfig> {
      const operation = "setWebhook";
      const accepted: ReadonlySet<string> = new Set(ZAPI_WEBHOOK_EVENTS);
      const unknown = config.events.filter((event) => !accepted.has(event));
      if (unknown.length > 0) {
        throw new ProviderError("rejected", `${operation}: not Z-API webhook events: ${unknown.join(", ")}`, { operation });
      }
      const header = (own?.secretHeader ?? DEFAULT_SECRET_HEADER).toLowerCase();
      const secret = Object.entries(config.headers).find(([name]) => name.toLowerCase() === header)?.[1];
      if (config.enabled && !secret) {
        throw new ProviderError("rejected", `${operation}: Z-API sends no headers: a webhook without the channel's secret would be refused`, { operation });
      }
      const mine = own ?? { url: config.url, secretHeader: header };
      const current = await readMe(target, operation);
      const currentUrls = { connected: current.connectedCallbackUrl ?? "", disconnected: current.disconnectedCallbackUrl ?? "" };
      for (const event of ZAPI_WEBHOOK_EVENTS) {
        const wanted = config.enabled && config.events.includes(event);
        const isOurs = currentUrls[event].startsWith(`${mine.url.replace(/\/+$/, "")}/`);
        const value = wanted ? urlWithSecret(config.url, secret!) : isOurs ? "" : null;
        if (value === null || value === currentUrls[event]) continue;
        const response = await call(target, { operation, method: "PUT", path: ROUTE_OF_EVENT[event], body: { value } });
        if (!readAnswer(valueTrueSchema, response, operation).value) {
          throw new ProviderError("rejected", `${operation}: Z-API did not keep the ${event} URL`, { operation, status: response.status });
        }
      }
      const stored = toWebhookConfig(await readMe(target, operation), mine);
      if (stored === "split" || stored === null) {
        if (!config.enabled) return { ...config, enabled: false };
        throw new ProviderError("rejected", `${operation}: Z-API did not keep the webhook`, { operation });
      }
      return stored;
    },

    parseWebhookEvent: parseZapiWebhookEvent,

    /** `POST …/send-text` `{phone, message}`: the phone as digits only (DDI DDD NUMBER), as Z-API asks. */
    async sendText(target: ChannelTarget, message: { number: string; text: string }): Promise<SentText> {
      const operation = "sendText";
      const response = await call(target, {
        operation, method: "POST", path: "send-text", body: { phone: message.number.replace(/\D/g, ""), message: message.text },
      });
      const sent = readAnswer(sentTextSchema, response, operation);
      return { messageId: sent.messageId, status: null };
    },
  };
}
