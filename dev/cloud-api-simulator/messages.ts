import { randomBytes } from "node:crypto";

/**
 * `POST /v23.0/{phone-number-id}/messages` of the Cloud API simulator: text messages only, with the
 * 24-hour customer-service window Meta enforces on free text. A contact who has not written to the
 * number within 24 hours gets no free text: Graph's error 131047 ("Re-engagement message"), HTTP 400,
 * as a synchronous refusal (Meta may also accept and report it later in a status webhook; the simulator
 * refuses at once, the case Sentinela must word). Tests open a window with `customerWrote`.
 *
 * Answers, as Graph's Messages reference gives them:
 * - sent: 200 `{"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],"messages":[{"id":"wamid.…","message_status":"accepted"}]}`;
 * - a body that is not a text message Graph can read: 400 code 100 (Invalid parameter) with `error_data.details`;
 * - faults set per number: `rate_limited` (130429, throughput), `pair_rate_limited` (131056), `undeliverable` (131026).
 */

export type SendFault = "rate_limited" | "pair_rate_limited" | "undeliverable";

export interface SentCloudMessage {
  id: string;
  to: string;
  body: string;
  at: string;
}

export interface Answer {
  status: number;
  body: unknown;
}

export const SERVICE_WINDOW_MS = 24 * 3_600_000;

function graphError(status: number, code: number, message: string, details: string, type = "OAuthException"): Answer {
  return {
    status,
    body: { error: { message, type, code, error_data: { messaging_product: "whatsapp", details }, fbtrace_id: "AbCdEfGhIjK" } },
  };
}

const FAULTS: Record<SendFault, Answer> = {
  rate_limited: graphError(400, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached."),
  pair_rate_limited: graphError(400, 131056, "(#131056) (Business Account, Consumer Account) pair rate limit hit", "Too many messages sent from this phone number to the same phone number in a short period of time."),
  undeliverable: graphError(400, 131026, "(#131026) Message Undeliverable", "Unable to deliver message."),
};

export class CloudMessages {
  /** Per phone number id: each contact's (wa_id) last message to the number, in ms. */
  private readonly inbound = new Map<string, Map<string, number>>();
  private readonly sentBy = new Map<string, SentCloudMessage[]>();
  private readonly faults = new Map<string, SendFault>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The contact wrote to the number (at `atMs`, now by default): free text may go to them for 24 hours. */
  customerWrote(numberId: string, waId: string, atMs = this.now()): void {
    const contacts = this.inbound.get(numberId) ?? new Map<string, number>();
    contacts.set(waId.replace(/\D/g, ""), atMs);
    this.inbound.set(numberId, contacts);
  }

  setFault(numberId: string, fault: SendFault | null): void {
    if (fault) this.faults.set(numberId, fault);
    else this.faults.delete(numberId);
  }

  sent(numberId: string): SentCloudMessage[] {
    return (this.sentBy.get(numberId) ?? []).map((message) => ({ ...message }));
  }

  answer(numberId: string, body: unknown): Answer {
    const request = (body ?? {}) as { messaging_product?: unknown; to?: unknown; type?: unknown; text?: { body?: unknown } | null };
    if (request.messaging_product !== "whatsapp") {
      return graphError(400, 100, "(#100) The parameter messaging_product is required.", "messaging_product must be \"whatsapp\"", "OAuthException");
    }
    if (typeof request.to !== "string" || !/^\+?\d{8,15}$/.test(request.to)) {
      return graphError(400, 100, "(#100) Invalid parameter", "Invalid parameter 'to'");
    }
    if (request.type !== "text" || typeof request.text?.body !== "string" || request.text.body.trim() === "") {
      return graphError(400, 100, "(#100) Invalid parameter", "Param text['body'] is required for type text");
    }
    const fault = this.faults.get(numberId);
    if (fault) return FAULTS[fault];
    const to = request.to.replace(/\D/g, "");
    const wrote = this.inbound.get(numberId)?.get(to);
    if (wrote === undefined || this.now() - wrote > SERVICE_WINDOW_MS) {
      return graphError(
        400, 131047, "(#131047) Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
      );
    }
    const id = `wamid.HBgM${to}FQIAERgS${randomBytes(9).toString("hex").toUpperCase()}AA==`;
    const list = this.sentBy.get(numberId) ?? [];
    list.push({ id, to, body: request.text.body, at: new Date(this.now()).toISOString() });
    if (list.length > 200) list.splice(0, list.length - 200);
    this.sentBy.set(numberId, list);
    return {
      status: 200,
      body: { messaging_product: "whatsapp", contacts: [{ input: request.to, wa_id: to }], messages: [{ id, message_status: "accepted" }] },
    };
  }
}
