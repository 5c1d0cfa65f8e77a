import { z } from "zod";
import { subscribedAppsMethods } from "@/lib/providers/cloud-api-subscriptions";
import { sendCloudApiText } from "@/lib/providers/cloud-api-send-text";
import { readAnswer, requestGateway, snippetOf, type GatewayResponse } from "@/lib/providers/http";
import {
  ProviderError,
  type ChannelTarget,
  type GatewayInstance,
  type GatewayTarget,
  type ListOptions,
  type Provider,
  type ProviderOptions,
  type SentText,
  type SessionReport,
  type StateReport,
  type WebhookEvent,
} from "@/lib/providers/types";

/**
 * The official WhatsApp Cloud API through Meta's Graph API, v23.0 (developers.facebook.com, "Messaging
 * and Calling Health Status" and the phone number node, read on 2026-11-30). A channel is a phone number
 * id (`instanceName`) read with an access token (the API key, `Authorization: Bearer`); the gateway URL
 * is Graph's base with its version (`https://graph.facebook.com/v23.0`, or a simulator's).
 *
 * What must stay true:
 * - There is no session: no restart, no QR, no webhook config per number (its webhooks are the app's).
 *   The phone number's health is the report: BLOCKED is `blocked` with Meta's own words, LIMITED or
 *   quality RED is `restricted`, a number whose status is not CONNECTED cannot send (blocked).
 * - Graph's error code decides, whatever the HTTP status (Graph answers 200 with an error too): 190 is
 *   a token Graph no longer accepts (expired, revoked) and 100 an id it does not know: both
 *   misconfigured, a person must act. 5xx, timeouts and resets are provider_down.
 * - Import lists a WhatsApp Business Account's numbers (`GET /{waba-id}/phone_numbers`, Graph's cursor
 *   paging, "Paginated Results" in the Graph API guide): every page or none, each next page asked of the
 *   base URL the person typed with the `after` cursor (never the `next` URL Graph writes, which would
 *   carry the token to wherever it points). The listing is no health read: the monitor never uses it.
 */

export const GRAPH_API_VERSION = "v23.0";

/** Every field read from the phone number node; README's "Gateway adapters" lists them. */
export const PHONE_NUMBER_FIELDS = [
  "health_status",
  "status",
  "quality_rating",
  "messaging_limit_tier",
  "display_phone_number",
  "verified_name",
] as const;

const healthErrorSchema = z.object({
  error_code: z.number().optional(),
  error_description: z.string().optional(),
  possible_solution: z.string().optional(),
});

const canSendSchema = z.string();

const phoneNumberSchema = z.object({
  id: z.string().optional(),
  health_status: z.object({
    can_send_message: canSendSchema,
    entities: z.array(z.object({
      entity_type: z.string(),
      id: z.string().optional(),
      can_send_message: canSendSchema.optional(),
      errors: z.array(healthErrorSchema).optional(),
    })).default([]),
  }),
  status: z.string().optional(),
  quality_rating: z.string().optional(),
  messaging_limit_tier: z.string().optional(),
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
});
export type CloudApiPhoneNumber = z.infer<typeof phoneNumberSchema>;

/** Every field read from the WABA's phone_numbers edge (an import's listing). */
export const LISTED_PHONE_NUMBER_FIELDS = ["id", "display_phone_number", "verified_name", "status", "quality_rating"] as const;

/** Numbers asked per page of the listing; Graph may answer fewer and says when there is more (`paging.next`). */
export const PHONE_NUMBERS_PAGE_LIMIT = 100;

/** A listing that has not ended after this many pages is refused (a cursor going round in circles). */
export const PHONE_NUMBERS_MAX_PAGES = 50;

const phoneNumberPageSchema = z.object({
  data: z.array(z.object({
    id: z.string().min(1),
    display_phone_number: z.string().optional(),
    verified_name: z.string().optional(),
    status: z.string().optional(),
    quality_rating: z.string().optional(),
  })),
  paging: z.object({
    cursors: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
    next: z.string().optional(),
  }).optional(),
});
export type PhoneNumberPage = z.infer<typeof phoneNumberPageSchema>;

/**
 * A display number as Graph spells it (`+55 11 90000-0000`, `15550783881`) in E.164, or null when it is
 * not one (too short, too long, letters).
 */
export function e164OfDisplayNumber(display: string | undefined): string | null {
  if (!display) return null;
  if (!/^\+?[0-9 ().-]+$/.test(display.trim())) return null;
  const digits = display.replace(/[^0-9]/g, "");
  return /^[1-9][0-9]{7,14}$/.test(digits) ? `+${digits}` : null;
}

/** Statuses of a number that still sends, with limits (anything else but CONNECTED cannot send). */
const LIMITED_STATUSES = new Set(["FLAGGED", "RESTRICTED", "RATE_LIMITED"]);

/** Statuses of a listed number that is on the Cloud API and sending (maybe with limits): listed `open`. */
const LISTED_OPEN_STATUSES = new Set(["CONNECTED", ...LIMITED_STATUSES]);

/** One listed phone number as an import shows it: its id is the channel's instance name. */
export function instanceOfListedNumber(number: PhoneNumberPage["data"][number]): GatewayInstance {
  const status = number.status?.toUpperCase();
  return {
    name: number.id,
    phone: e164OfDisplayNumber(number.display_phone_number),
    // The listing is not the health read (health_status is read per number by getState): it only says
    // whether the number is on the API at all.
    connectionStatus: status === undefined ? "unknown" : LISTED_OPEN_STATUSES.has(status) ? "open" : "close",
    profileName: number.verified_name?.slice(0, 200) ?? null,
  };
}

/**
 * The cursor of the next page, or null when the page is the last: Graph says there is more with
 * `paging.next`; its `after` cursor is asked of the same (vetted) base URL, never the URL Graph wrote.
 */
export function nextCursor(page: PhoneNumberPage): string | null {
  if (!page.paging?.next) return null;
  return page.paging.cursors?.after ?? null;
}

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
  }),
});


/** Meta's words for what stops or limits sending: every entity's errors, phone number first. */
function healthWords(node: CloudApiPhoneNumber): string {
  const words: string[] = [];
  for (const entity of node.health_status.entities) {
    if (entity.can_send_message === undefined || entity.can_send_message === "AVAILABLE") continue;
    for (const error of entity.errors ?? []) {
      const text = [error.error_description, error.possible_solution].filter(Boolean).join(" ");
      if (text) words.push(`${entity.entity_type}: ${text}`);
    }
  }
  return words.join(" | ").slice(0, 500);
}

/** The phone number node in Sentinela's neutral words; lib/monitor/classify-state.ts decides the state. */
export function reportOfPhoneNumber(node: CloudApiPhoneNumber): SessionReport {
  const canSend = node.health_status.can_send_message;
  const status = node.status?.toUpperCase();
  const quality = node.quality_rating?.toUpperCase();
  const gatewayStatus = [canSend, status, quality && `quality ${quality}`, node.messaging_limit_tier].filter(Boolean).join(" · ");
  const words = healthWords(node);
  if (canSend === "BLOCKED") {
    return { state: "open", gatewayStatus, sending: { verdict: "blocked", reason: words || "WhatsApp blocks sending for this number (health_status BLOCKED)" } };
  }
  if (status && status !== "CONNECTED" && !LIMITED_STATUSES.has(status)) {
    return { state: "open", gatewayStatus, sending: { verdict: "blocked", reason: `phone number status ${status}` } };
  }
  if (canSend === "LIMITED") {
    return { state: "open", gatewayStatus, sending: { verdict: "restricted", reason: words || "WhatsApp limits sending for this number (health_status LIMITED)" } };
  }
  if (quality === "RED") return { state: "open", gatewayStatus, sending: { verdict: "restricted", reason: "quality rating RED" } };
  if (status && LIMITED_STATUSES.has(status)) {
    return { state: "open", gatewayStatus, sending: { verdict: "restricted", reason: `phone number status ${status}` } };
  }
  if (canSend !== "AVAILABLE") {
    throw new ProviderError("invalid_response", `health_status: unknown can_send_message ${JSON.stringify(canSend).slice(0, 40)}`);
  }
  return { state: "open", gatewayStatus };
}

/** Graph's error, read from a body or a snippet: its code, subcode and message. */
function graphErrorOf(raw: string): { code?: number; subcode?: number; message?: string } | null {
  try {
    const parsed = graphErrorSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return { code: parsed.data.error.code, subcode: parsed.data.error.error_subcode, message: parsed.data.error.message };
  } catch {
    // A snippet may be cut: read the code from the text.
  }
  const code = /"code"\s*:\s*(\d+)/.exec(raw);
  if (!code) return null;
  const subcode = /"error_subcode"\s*:\s*(\d+)/.exec(raw);
  return { code: Number(code[1]), subcode: subcode ? Number(subcode[1]) : undefined };
}

function graphFailure(
  said: { code?: number; subcode?: number; message?: string },
  status: number,
  raw: string,
  operation: string,
  subject = "phone number id",
): ProviderError {
  const words = said.message ? `: ${said.message.slice(0, 200)}` : "";
  const detail = { status, snippet: snippetOf(raw), operation };
  if (said.code === 190) {
    const what = said.subcode === 463 ? "the access token has expired" : "Graph refused the access token";
    return new ProviderError("misconfigured", `${operation}: ${what} (code 190${said.subcode ? `/${said.subcode}` : ""})${words}`, detail);
  }
  if (said.code === 100) {
    return new ProviderError("misconfigured", `${operation}: Graph does not know this ${subject} (code 100)${words}`, { ...detail, notFound: true });
  }
  const kind = status >= 500 ? "provider_down" : "rejected";
  return new ProviderError(kind, `${operation}: Graph answered HTTP ${status} with error code ${said.code ?? "?"}${words}`, detail);
}

/**
 * The channel's URL is Graph's base with its version (DESIGN.md: `https://graph.facebook.com/v23.0`);
 * a base without one gets the version this adapter follows, so a bare origin never reads Graph's default.
 */
export function versionedBase(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, "");
  return /\/v\d+\.\d+$/.test(trimmed) ? trimmed : `${trimmed}/${GRAPH_API_VERSION}`;
}

export function createCloudApiProvider(options: ProviderOptions): Provider {
  const client = { timeoutMs: options.timeoutMs, fetch: options.fetch, outbound: options.outbound, limiter: options.limiter };

  async function get(
    target: { baseUrl: string; apiKey: string },
    path: string,
    operation: string,
    options: ListOptions & { subject?: string } = {},
  ): Promise<GatewayResponse> {
    let response: GatewayResponse;
    try {
      response = await requestGateway({ ...client, timeoutMs: options.timeoutMs ?? client.timeoutMs }, {
        operation, method: "GET", baseUrl: target.baseUrl, path, headers: { authorization: `Bearer ${target.apiKey}` },
        ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
      });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const status = error.detail.status;
      const said = status !== undefined && status < 500 ? graphErrorOf(error.detail.snippet ?? "") : null;
      if (said && status !== undefined) throw graphFailure(said, status, error.detail.snippet ?? "", operation, options.subject);
      throw error;
    }
    // Graph may answer 200 with an error body: a failure, read by its code.
    const body = response.body as { error?: unknown } | null;
    if (typeof body === "object" && body !== null && typeof body.error === "object" && body.error !== null) {
      throw graphFailure(graphErrorOf(response.raw) ?? {}, response.status, response.raw, operation, options.subject);
    }
    return response;
  }

  return {
    kind: "cloud-api",
    webhookEventNames: [],
    async getState(target: ChannelTarget): Promise<StateReport> {
      const operation = "read phone number health";
      const path = `/${encodeURIComponent(target.instanceName)}?fields=${PHONE_NUMBER_FIELDS.join(",")}`;
      const response = await get({ ...target, baseUrl: versionedBase(target.baseUrl) }, path, operation);
      const node = readAnswer(phoneNumberSchema, response, operation);
      try {
        return { ...reportOfPhoneNumber(node), latencyMs: response.latencyMs };
      } catch (error) {
        if (error instanceof ProviderError) {
          throw new ProviderError(error.kind, `${operation}: ${error.message}`, { status: response.status, snippet: snippetOf(response.raw), operation });
        }
        throw error;
      }
    },
    /**
     * Every phone number of the WhatsApp Business Account `target.wabaId` (an import): `GET
     * /{waba-id}/phone_numbers`, page after page while Graph says there is a next one, with the `after`
     * cursor asked of the same base URL. A token Graph refuses (190) or a WABA it does not know or the
     * token may not read (100) is misconfigured; a listing that does not end is invalid_response.
     */
    async listInstances(target: GatewayTarget, options: ListOptions = {}): Promise<GatewayInstance[]> {
      const operation = "list phone numbers";
      const wabaId = target.wabaId?.trim();
      if (!wabaId || !/^[0-9]{1,30}$/.test(wabaId)) {
        throw new ProviderError("misconfigured", `${operation}: the WhatsApp Business Account id (--waba-id) is required, digits only`, { operation });
      }
      const base = versionedBase(target.baseUrl);
      const numbers: GatewayInstance[] = [];
      const seen = new Set<string>();
      let after: string | null = null;
      for (let page = 1; ; page++) {
        if (page > PHONE_NUMBERS_MAX_PAGES) {
          throw new ProviderError("invalid_response", `${operation}: the listing did not end after ${PHONE_NUMBERS_MAX_PAGES} pages`, { operation });
        }
        const query = new URLSearchParams({ fields: LISTED_PHONE_NUMBER_FIELDS.join(","), limit: String(PHONE_NUMBERS_PAGE_LIMIT) });
        if (after !== null) query.set("after", after);
        const response = await get({ baseUrl: base, apiKey: target.apiKey }, `/${encodeURIComponent(wabaId)}/phone_numbers?${query}`, operation, {
          ...options, subject: "WhatsApp Business Account id",
        });
        const answer = readAnswer(phoneNumberPageSchema, response, operation);
        for (const number of answer.data) {
          if (seen.has(number.id)) continue;
          seen.add(number.id);
          numbers.push(instanceOfListedNumber(number));
        }
        const next = nextCursor(answer);
        if (next === null) return numbers;
        if (next === after) {
          throw new ProviderError("invalid_response", `${operation}: Graph answered the same page again (cursor ${JSON.stringify(next.slice(0, 40))})`, {
            operation, status: response.status, snippet: snippetOf(response.raw),
          });
        }
        after = next;
      }
    },
    // The app's subscription to the WABA's webhooks (subscribed_apps), checked where Evolution's webhook is.
    ...subscribedAppsMethods(client, versionedBase),
    /** `POST /{phone-number-id}/messages` (cloud-api-send-text.ts): Graph's refusals in plain words. */
    sendText(target: ChannelTarget, message: { number: string; text: string }): Promise<SentText> {
      return sendCloudApiText(client, versionedBase(target.baseUrl), target, message);
    },
    parseWebhookEvent(): WebhookEvent {
      // Cloud API deliveries are the app's, signed with its secret and batched for many numbers: they are
      // read by their own receiver (lib/webhooks/cloud-api-request.ts, cloud-api-webhook.ts), never here.
      return { kind: "ignored", event: "cloud-api" };
    },
  };
}
