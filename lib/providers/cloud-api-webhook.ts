import { createHash } from "node:crypto";
import { z } from "zod";
import { ProviderError, type WebhookEvent } from "@/lib/providers/types";

/**
 * WhatsApp Cloud API webhook deliveries (Graph v23.0; developers.facebook.com "Webhooks", the
 * account_update and phone_number_quality_update references, read on 2026-11-30). Meta sends an app's
 * events for every account and number it is subscribed to, batched:
 * `{"object":"whatsapp_business_account","entry":[{"id":"<WABA id>","time":…,"changes":[{"field","value"}]}]}`.
 *
 * What each field means for the one channel the delivery was addressed to (others are ignored):
 * - `messages` (messages and statuses), for the channel's number (`value.metadata.phone_number_id`):
 *   a sign of life (the line delivers), noted for silence detection;
 * - `account_update` for the channel's account (`entry.id` = its WABA id; a `value.phone_number` other
 *   than the channel's number is another line's): DISABLED_UPDATE with `ban_info.waba_ban_state`
 *   DISABLE is `blocked`, SCHEDULE_FOR_DISABLE `restricted` (still sends, at risk), ACCOUNT_RESTRICTION
 *   `restricted` with its restriction types; anything else (REINSTATE, violations, verification) is
 *   noted: the next health read says whether the line sends again;
 * - `phone_number_quality_update` for the channel's number (its `display_phone_number` carries no id:
 *   matched to the channel's phone): FLAGGED is `restricted` (the health read agrees: status FLAGGED);
 *   DOWNGRADE, UPGRADE, ONBOARDING and UNFLAGGED are noted (the messaging limit is not a state, and the
 *   next health read decides).
 * Nothing here ever turns a line `connected`: only a health read does.
 *
 * Ordering: the entry's `time` (seconds), else the arrival. Repeats: the field, account and value.
 */

const OPERATION = "parseWebhookEvent";

const deliverySchema = z.object({
  object: z.string(),
  entry: z.array(z.object({
    id: z.string().min(1),
    time: z.number().int().positive().nullish(),
    changes: z.array(z.object({ field: z.string().min(1), value: z.unknown() })),
  })),
});

const messagesValueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string().min(1), display_phone_number: z.string().nullish() }),
  messages: z.array(z.unknown()).nullish(),
  statuses: z.array(z.unknown()).nullish(),
});

const accountUpdateSchema = z.object({
  event: z.string().min(1),
  phone_number: z.union([z.string(), z.number()]).nullish(),
  ban_info: z.object({ waba_ban_state: z.string().nullish(), waba_ban_date: z.string().nullish() }).nullish(),
  restriction_info: z.array(z.object({ restriction_type: z.string(), expiration: z.string().nullish() })).nullish(),
});

const qualityUpdateSchema = z.object({
  display_phone_number: z.union([z.string(), z.number()]),
  event: z.string().min(1),
  current_limit: z.string().nullish(),
  old_limit: z.string().nullish(),
});

/** The channel a delivery was addressed to: what its events are matched against. */
export interface CloudApiChannelRef {
  /** The phone number id (the channel's instance name). */
  phoneNumberId: string;
  wabaId: string | null;
  /** E.164 (`+5511…`), or null when the channel has none. */
  phone: string | null;
}

function malformed(message: string): ProviderError {
  return new ProviderError("invalid_response", `${OPERATION}: ${message}`.slice(0, 500), { operation: OPERATION });
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw malformed(`${what}${where}: ${issue?.message ?? "invalid"}`);
}

const digits = (value: string | number | null | undefined) => (value === null || value === undefined ? "" : String(value).replace(/[^0-9]/g, ""));

/** The same number, as Meta writes it (`15550783881`, `+55 11 90000-0000`) and as the channel stores it. */
function sameNumber(given: string | number | null | undefined, channelPhone: string | null): boolean {
  const a = digits(given);
  return a !== "" && a === digits(channelPhone);
}

function clip(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 300);
}

type Verdict = { verdict: "blocked" | "restricted"; reason: string } | null;

function accountVerdict(update: z.infer<typeof accountUpdateSchema>): Verdict {
  const ban = update.ban_info?.waba_ban_state?.toUpperCase();
  if (update.event === "DISABLED_UPDATE" && ban === "DISABLE") {
    return { verdict: "blocked", reason: clip(`WhatsApp disabled the WhatsApp Business Account (account_update DISABLED_UPDATE${update.ban_info?.waba_ban_date ? `, ${update.ban_info.waba_ban_date}` : ""})`) };
  }
  if (update.event === "DISABLED_UPDATE" && ban === "SCHEDULE_FOR_DISABLE") {
    return { verdict: "restricted", reason: clip(`WhatsApp scheduled the WhatsApp Business Account to be disabled${update.ban_info?.waba_ban_date ? ` on ${update.ban_info.waba_ban_date}` : ""} (account_update)`) };
  }
  if (update.event === "ACCOUNT_RESTRICTION") {
    const kinds = (update.restriction_info ?? []).map((r) => `${r.restriction_type}${r.expiration ? ` until ${r.expiration}` : ""}`).join(", ");
    return { verdict: "restricted", reason: clip(`WhatsApp restricted the WhatsApp Business Account${kinds ? `: ${kinds}` : ""} (account_update ACCOUNT_RESTRICTION)`) };
  }
  return null;
}

function qualityVerdict(update: z.infer<typeof qualityUpdateSchema>): Verdict {
  if (update.event !== "FLAGGED") return null;
  return { verdict: "restricted", reason: clip(`quality flagged by WhatsApp: the messaging limit may drop${update.current_limit ? ` (now ${update.current_limit})` : ""} (phone_number_quality_update)`) };
}

/**
 * The delivery's events for `channel`, in the order Meta wrote them; a change for another number or
 * account is left out. Throws ProviderError("invalid_response") on a body that is not a delivery.
 */
export function parseCloudApiDelivery(body: unknown, channel: CloudApiChannelRef, arrivedAt: Date = new Date()): WebhookEvent[] {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw malformed("delivery is not a JSON object");
  const delivery = parseWith(deliverySchema, body, "delivery");
  if (delivery.object !== "whatsapp_business_account") return [{ kind: "ignored", event: clip(delivery.object) }];
  const events: WebhookEvent[] = [];
  for (const entry of delivery.entry) {
    const occurredAt = entry.time ? new Date(entry.time * 1000) : arrivedAt;
    if (Number.isNaN(occurredAt.getTime())) throw malformed("entry time is not a time");
    for (const change of entry.changes) {
      const dedupeKey = createHash("sha256").update(JSON.stringify([change.field, entry.id, entry.time ?? null, change.value ?? null])).digest("hex");
      const common = { instance: channel.phoneNumberId, occurredAt, dedupeKey };
      const connection = (verdict: NonNullable<Verdict>, gatewayStatus: string): WebhookEvent => ({
        kind: "connection", ...common, state: "open", gatewayStatus: clip(gatewayStatus), sending: verdict,
      });
      const noted = (status: string): WebhookEvent => ({ kind: "status", ...common, status: clip(status) });
      if (change.field === "messages") {
        const value = parseWith(messagesValueSchema, change.value, "messages value");
        if (value.metadata.phone_number_id !== channel.phoneNumberId) continue;
        events.push({ kind: "ignored", event: value.statuses?.length && !value.messages?.length ? "statuses" : "messages" });
      } else if (change.field === "account_update") {
        if (channel.wabaId === null || entry.id !== channel.wabaId) continue;
        const update = parseWith(accountUpdateSchema, change.value, "account_update value");
        if (update.phone_number !== null && update.phone_number !== undefined && !sameNumber(update.phone_number, channel.phone)) continue;
        const verdict = accountVerdict(update);
        const status = `account_update ${update.event}${update.ban_info?.waba_ban_state ? ` ${update.ban_info.waba_ban_state}` : ""}`;
        events.push(verdict ? connection(verdict, status) : noted(status));
      } else if (change.field === "phone_number_quality_update") {
        const update = parseWith(qualityUpdateSchema, change.value, "phone_number_quality_update value");
        if (!sameNumber(update.display_phone_number, channel.phone)) continue;
        if (channel.wabaId !== null && entry.id !== channel.wabaId) continue;
        const verdict = qualityVerdict(update);
        const status = `phone_number_quality_update ${update.event}${update.current_limit ? ` ${update.current_limit}` : ""}`;
        events.push(verdict ? connection(verdict, status) : noted(status));
      }
      // Other fields (templates, calls, history…) say nothing about this line: left out.
    }
  }
  return events;
}
