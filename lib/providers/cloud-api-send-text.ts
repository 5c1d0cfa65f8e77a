import { z } from "zod";
import { readAnswer, requestGateway, snippetOf, type HttpClient, type GatewayResponse } from "@/lib/providers/http";
import { ProviderError, type ChannelTarget, type ProviderErrorKind, type SentText } from "@/lib/providers/types";

/**
 * A text message through the WhatsApp Cloud API (Graph v23.0, "Messages" reference and "Error codes",
 * read 2026-11-30): `POST /{phone-number-id}/messages` with
 * `{messaging_product:"whatsapp", recipient_type:"individual", to, type:"text", text:{preview_url, body}}`
 * and the access token as `Authorization: Bearer`; the answer is
 * `{messaging_product, contacts:[{input, wa_id}], messages:[{id, message_status?}]}`.
 *
 * What must stay true:
 * - Graph's error code decides, whatever the HTTP status (200 with an error body included), and each
 *   failure says in plain words what a person must do: 131047 (more than 24 hours since the contact
 *   last wrote to this number: Meta takes only an approved message template then, and Sentinela sends
 *   alerts as free text) and 190 (the access token) are never retried; throughput and pair rate limits
 *   and Graph's own trouble may pass and are `provider_down` (retried with backoff).
 * - Success is a message id in `messages[0].id`; an answer without one is never a sent alert.
 * - Meta may also accept a message here and report its failure later in a status webhook (Cloud API
 *   deliveries are not read yet): what is recorded is what Graph answered to the send.
 */

const sentSchema = z.object({
  messages: z.array(z.object({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_data: z.object({ details: z.string().optional() }).passthrough().optional(),
  }).passthrough(),
});

interface GraphError {
  code?: number;
  subcode?: number;
  message?: string;
  details?: string;
}

/** Graph's error from a body or a (maybe cut) snippet. */
function graphErrorOf(raw: string): GraphError | null {
  try {
    const parsed = graphErrorSchema.safeParse(JSON.parse(raw));
    if (parsed.success) {
      const { error } = parsed.data;
      return { code: error.code, subcode: error.error_subcode, message: error.message, details: error.error_data?.details };
    }
  } catch {
    // A snippet may be cut: read the code from the text.
  }
  const code = /"code"\s*:\s*(\d+)/.exec(raw);
  if (!code) return null;
  const subcode = /"error_subcode"\s*:\s*(\d+)/.exec(raw);
  return { code: Number(code[1]), ...(subcode ? { subcode: Number(subcode[1]) } : {}) };
}

/** Codes that may pass by themselves (Meta: "try again later"): retried with the outbox's backoff. */
const TRANSIENT_CODES = new Set([
  1, // API Unknown (possible server error)
  2, // API Service: temporary downtime or overload
  4, // API Too Many Calls (app rate limit)
  80007, // the WABA's rate limit
  130429, // Cloud API throughput reached
  131000, // Something went wrong
  131016, // Service unavailable
  131056, // pair rate limit: too many messages to the same number
  133004, // server temporarily unavailable
]);

/** Plain words for the refusals a person must act on, by Graph code. */
const PLAIN_WORDS: Record<number, { kind: ProviderErrorKind; words: string }> = {
  131047: {
    kind: "rejected",
    words:
      "outside WhatsApp's 24-hour customer-service window (Graph error 131047, Re-engagement message): the contact has not " +
      "written to this number in the last 24 hours, and Meta then accepts only an approved message template, while Sentinela " +
      "sends alerts as free text. Not retried: choose an alert sender line on another gateway, or have the contact send any " +
      "message to this number first",
  },
  131026: { kind: "rejected", words: "WhatsApp could not deliver to this number (Graph error 131026): it may not be on WhatsApp" },
  131030: { kind: "rejected", words: "the recipient is not on the app's list of allowed test numbers (Graph error 131030)" },
  131031: { kind: "rejected", words: "Meta has locked this WhatsApp Business Account (Graph error 131031): see WhatsApp Manager" },
  131042: { kind: "rejected", words: "a payment problem on the WhatsApp Business Account (Graph error 131042): see its billing in WhatsApp Manager" },
  131048: { kind: "rejected", words: "Meta limits what this number may send after messages were blocked or reported as spam (Graph error 131048)" },
  368: { kind: "rejected", words: "the account is blocked for policy violations (Graph error 368): see WhatsApp Manager" },
  133010: { kind: "rejected", words: "this phone number is not registered on the Cloud API (Graph error 133010)" },
  10: { kind: "misconfigured", words: "the access token lacks the permission to send messages (Graph error 10: whatsapp_business_messaging)" },
};

function sendFailure(said: GraphError, status: number, raw: string, operation: string): ProviderError {
  const gateway = [said.message, said.details].filter(Boolean).join(" — ").slice(0, 200);
  const words = gateway ? ` (Graph: ${gateway})` : "";
  const detail = { status, snippet: snippetOf(raw), operation };
  const code = said.code;
  if (code === 190) {
    const what = said.subcode === 463 ? "the access token has expired" : "Graph refused the access token";
    return new ProviderError("misconfigured", `${operation}: ${what} (code 190): a new token must be entered for this line; not retried${words}`, detail);
  }
  if (code !== undefined && PLAIN_WORDS[code]) {
    const known = PLAIN_WORDS[code];
    return new ProviderError(known.kind, `${operation}: ${known.words}${words}`, detail);
  }
  if (code === 100 && said.subcode === 33) {
    return new ProviderError("misconfigured", `${operation}: Graph does not know this phone number id (code 100)${words}`, { ...detail, notFound: true });
  }
  if (code !== undefined && (code >= 200 && code <= 299)) {
    return new ProviderError("misconfigured", `${operation}: the access token lacks a permission (Graph error ${code})${words}`, detail);
  }
  if ((code !== undefined && TRANSIENT_CODES.has(code)) || status >= 500) {
    return new ProviderError("provider_down", `${operation}: Graph is busy or unavailable (error code ${code ?? "?"}, HTTP ${status}); retried later${words}`, detail);
  }
  return new ProviderError("rejected", `${operation}: Graph refused the message (error code ${code ?? "?"}, HTTP ${status})${words}`, detail);
}

/** `base` is Graph's base with its version (cloud-api.ts: versionedBase). */
export async function sendCloudApiText(
  client: HttpClient,
  base: string,
  target: ChannelTarget,
  message: { number: string; text: string },
): Promise<SentText> {
  const operation = "sendText";
  const body = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: message.number.replace(/\D/g, ""),
    type: "text",
    text: { preview_url: false, body: message.text },
  };
  let response: GatewayResponse;
  try {
    response = await requestGateway(client, {
      operation, method: "POST", baseUrl: base, path: `/${encodeURIComponent(target.instanceName)}/messages`,
      headers: { authorization: `Bearer ${target.apiKey}` }, body,
    });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const status = error.detail.status;
    const said = status !== undefined ? graphErrorOf(error.detail.snippet ?? "") : null;
    if (said && status !== undefined) throw sendFailure(said, status, error.detail.snippet ?? "", operation);
    throw error;
  }
  const answer = response.body as { error?: unknown } | null;
  if (typeof answer === "object" && answer !== null && typeof answer.error === "object" && answer.error !== null) {
    throw sendFailure(graphErrorOf(response.raw) ?? {}, response.status, response.raw, operation);
  }
  const sent = readAnswer(sentSchema, response, operation);
  return { messageId: sent.messages[0].id, status: sent.messages[0].message_status ?? "accepted" };
}
