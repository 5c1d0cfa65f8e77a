import {
  EVOLUTION_WEBHOOK_EVENTS,
  connectAnswerSchema,
  instanceRowsSchema,
  invalidWebhookEvents,
  readConnectionState,
  readInstanceList,
  reasonCodeOf,
  sentTextSchema,
  toConnectResult,
  toGatewayInstance,
  toWebhookConfig,
  webhookRowSchema,
} from "@/lib/providers/evolution-schemas";
import { parseEvolutionWebhookEvent } from "@/lib/providers/evolution-webhook";
import { readAnswer, requestGateway, type GatewayRequest, type GatewayResponse } from "@/lib/providers/http";
import {
  NotGlobalKeyError,
  ProviderError,
  type ChannelTarget,
  type ConnectResult,
  type GatewayInstance,
  type GatewayTarget,
  type ListOptions,
  type Provider,
  type ProviderErrorKind,
  type ProviderOptions,
  type SentText,
  type StateReport,
  type WebhookConfig,
} from "@/lib/providers/types";

/**
 * Evolution API v2 (checked against 2.3.x). It classifies, it never decides: a closed instance, a
 * rejected restart or a gateway that is down all come back as data or a typed ProviderError.
 */

type Call = Pick<GatewayRequest, "operation" | "method" | "path" | "body">;

/**
 * The whole listing counts every instance's messages, contacts and chats on the gateway (2.3.6): on a
 * big gateway it takes far longer than a state read, so it gets at least this long.
 */
const LIST_TIMEOUT_FLOOR_MS = 60_000;

const instancePath = (prefix: string, target: ChannelTarget) => `${prefix}/${encodeURIComponent(target.instanceName)}`;

/** Evolution has every capability (lib/providers/traits.ts): its adapter's methods are all there. */
export type EvolutionProvider = Provider & Required<Pick<Provider, "restart" | "connect" | "getWebhook" | "setWebhook" | "listInstances" | "sendText">>;

export function createEvolutionProvider(options: ProviderOptions): EvolutionProvider {
  const client = { timeoutMs: options.timeoutMs, fetch: options.fetch, outbound: options.outbound, limiter: options.limiter };

  function call(target: ChannelTarget, request: Call, timeoutMs = client.timeoutMs): Promise<GatewayResponse> {
    return requestGateway({ ...client, timeoutMs }, { ...request, baseUrl: target.baseUrl, headers: { apikey: target.apiKey } });
  }

  /**
   * connectionState carries no reason; fetchInstances does. The state stays true if this lookup fails,
   * so its failure is reported next to the state instead of replacing it.
   */
  async function lookUpReason(
    target: ChannelTarget,
    remainingMs: number,
  ): Promise<{ reasonCode?: number; neverPaired?: boolean } | { error: ProviderErrorKind }> {
    const operation = "getState.reason";
    if (remainingMs < 1) return { error: "provider_down" };
    try {
      const path = `/instance/fetchInstances?instanceName=${encodeURIComponent(target.instanceName)}`;
      const response = await call(target, { operation, method: "GET", path }, remainingMs);
      const rows = readAnswer(instanceRowsSchema, response, operation);
      const row = rows.find((candidate) => candidate.name === target.instanceName);
      const reasonCode = reasonCodeOf(row?.disconnectionReasonCode);
      if (reasonCode !== undefined) return { reasonCode };
      // No owner and no reason: created and never scanned. Only a QR scan brings it up.
      return row && (row.ownerJid === null || row.ownerJid === "") ? { neverPaired: true } : {};
    } catch (error) {
      if (error instanceof ProviderError) return { error: error.kind };
      throw error;
    }
  }

  return {
    kind: "evolution",
    webhookEventNames: EVOLUTION_WEBHOOK_EVENTS,

    /** Both calls share one deadline: getState never takes longer than `timeoutMs` in all. */
    async getState(target: ChannelTarget): Promise<StateReport> {
      const operation = "getState";
      const started = performance.now();
      const response = await call(target, {
        operation,
        method: "GET",
        path: instancePath("/instance/connectionState", target),
      });
      const state = readConnectionState(response, operation);
      const report: StateReport = { state, latencyMs: response.latencyMs };
      if (state !== "close" && state !== "refused") return report;

      const reason = await lookUpReason(target, Math.floor(client.timeoutMs - (performance.now() - started)));
      if ("error" in reason) return { ...report, reasonLookupError: reason.error };
      if (reason.neverPaired) return { ...report, neverPaired: true };
      return reason.reasonCode === undefined ? report : { ...report, reasonCode: reason.reasonCode };
    },

    async restart(target: ChannelTarget): Promise<ConnectResult> {
      const operation = "restart";
      // v2 only has POST; the v1 PUT route answers 404 and would read as "misconfigured".
      const response = await call(target, { operation, method: "POST", path: instancePath("/instance/restart", target) });
      return toConnectResult(readAnswer(connectAnswerSchema, response, operation));
    },

    async connect(target: ChannelTarget): Promise<ConnectResult> {
      const operation = "connect";
      const response = await call(target, { operation, method: "GET", path: instancePath("/instance/connect", target) });
      return toConnectResult(readAnswer(connectAnswerSchema, response, operation));
    },

    async getWebhook(target: ChannelTarget): Promise<WebhookConfig | null> {
      const operation = "getWebhook";
      const response = await call(target, { operation, method: "GET", path: instancePath("/webhook/find", target) });
      if (response.body === null) return null;
      return toWebhookConfig(readAnswer(webhookRowSchema, response, operation));
    },

    async setWebhook(target: ChannelTarget, config: WebhookConfig): Promise<WebhookConfig> {
      const operation = "setWebhook";
      const unknown = invalidWebhookEvents(config.events);
      if (unknown.length > 0) {
        throw new ProviderError("rejected", `${operation}: not Evolution webhook events: ${unknown.join(", ")}`, {
          operation,
        });
      }
      const body = {
        webhook: {
          enabled: config.enabled,
          url: config.url,
          headers: config.headers,
          byEvents: config.byEvents,
          base64: config.base64,
          events: config.events,
        },
      };
      const response = await call(target, { operation, method: "POST", path: instancePath("/webhook/set", target), body });
      return toWebhookConfig(readAnswer(webhookRowSchema, response, operation));
    },

    parseWebhookEvent: parseEvolutionWebhookEvent,

    /**
     * A closed session answers 400 (`Error: Connection Closed`) or 500, a number not on WhatsApp 400
     * with `exists: false`: both are `rejected`/`provider_down` errors, never a message id.
     */
    async sendText(target: ChannelTarget, message: { number: string; text: string }): Promise<SentText> {
      const operation = "sendText";
      const response = await call(target, {
        operation,
        method: "POST",
        path: instancePath("/message/sendText", target),
        body: { number: message.number, text: message.text },
      });
      const sent = readAnswer(sentTextSchema, response, operation);
      return { messageId: sent.key.id, status: sent.status ?? null };
    },

    /**
     * With an instance token Evolution answers 200 with that instance's row alone, so a list of one
     * whose token is the key asked with is a token, not the global key: refused, never taken as the list.
     */
    async listInstances(target: GatewayTarget, list: ListOptions = {}): Promise<GatewayInstance[]> {
      const operation = "listInstances";
      const timeoutMs = list.timeoutMs ?? Math.max(client.timeoutMs, LIST_TIMEOUT_FLOOR_MS);
      const response = await requestGateway({ ...client, timeoutMs }, {
        operation, method: "GET", baseUrl: target.baseUrl, path: "/instance/fetchInstances", headers: { apikey: target.apiKey },
        maxBytes: list.maxBytes,
      }).catch((error: unknown) => {
        const status = error instanceof ProviderError ? error.detail.status : undefined;
        if (status === 401 || status === 403) throw new NotGlobalKeyError(operation, null, status);
        throw error;
      });
      const rows = readInstanceList(response, operation);
      if (rows.length === 1 && rows[0].token === target.apiKey) throw new NotGlobalKeyError(operation, rows[0].name);
      return rows.map(toGatewayInstance);
    },
  };
}
