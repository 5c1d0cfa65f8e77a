import { describe, expect, it } from "vitest";
import { classifyReport } from "@/lib/monitor/classify-state";
import { parseCloudApiDelivery, type CloudApiChannelRef } from "@/lib/providers/cloud-api-webhook";
import { ProviderError, type WebhookEvent } from "@/lib/providers/types";
import { stateReportOf } from "@/lib/webhooks/apply-webhook-event";

/** Meta's deliveries read for one channel: which changes are its own, and what each means. */

const CHANNEL: CloudApiChannelRef = { phoneNumberId: "106540352242922", wabaId: "102290129340398", phone: "+5511900000000" };
const AT = new Date("2026-11-30T12:00:00Z");
const TIME = 1_764_504_000;

function delivery(field: string, value: unknown, entryId = CHANNEL.wabaId!) {
  return { object: "whatsapp_business_account", entry: [{ id: entryId, time: TIME, changes: [{ field, value }] }] };
}

const messages = (phoneNumberId: string, kind: "messages" | "statuses" = "messages") => ({
  messaging_product: "whatsapp",
  metadata: { display_phone_number: "5511900000000", phone_number_id: phoneNumberId },
  ...(kind === "messages"
    ? { contacts: [{ profile: { name: "Hóspede" }, wa_id: "5511988887777" }], messages: [{ from: "5511988887777", id: "wamid.1", timestamp: String(TIME), type: "text", text: { body: "Oi" } }] }
    : { statuses: [{ id: "wamid.2", status: "delivered", timestamp: String(TIME), recipient_id: "5511988887777" }] }),
});

/** What the monitor's classification makes of a state event (the receiver applies exactly that). */
function verdictOf(event: WebhookEvent) {
  if (event.kind !== "connection" && event.kind !== "status") return null;
  const report = stateReportOf(event);
  return report && classifyReport(report);
}

describe("parseCloudApiDelivery", () => {
  it("messages and statuses for the channel's number are signs of life; another number's are left out", () => {
    expect(parseCloudApiDelivery(delivery("messages", messages(CHANNEL.phoneNumberId)), CHANNEL, AT)).toEqual([{ kind: "ignored", event: "messages" }]);
    expect(parseCloudApiDelivery(delivery("messages", messages(CHANNEL.phoneNumberId, "statuses")), CHANNEL, AT)).toEqual([{ kind: "ignored", event: "statuses" }]);
    expect(parseCloudApiDelivery(delivery("messages", messages("999999999999999")), CHANNEL, AT)).toEqual([]);
  });

  it("account_update DISABLED_UPDATE (ban) is blocked, ACCOUNT_RESTRICTION and a scheduled ban restricted, in Meta's words", () => {
    const [ban] = parseCloudApiDelivery(delivery("account_update", { phone_number: "5511900000000", event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "DISABLE", waba_ban_date: "2026-11-30" } }), CHANNEL, AT);
    expect(ban).toMatchObject({ kind: "connection", instance: CHANNEL.phoneNumberId, occurredAt: new Date(TIME * 1000) });
    expect(verdictOf(ban)).toMatchObject({ state: "blocked", reason: expect.stringContaining("disabled the WhatsApp Business Account") });
    const [restriction] = parseCloudApiDelivery(delivery("account_update", {
      event: "ACCOUNT_RESTRICTION", restriction_info: [{ restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: "2026-12-30T12:00:00+0000" }],
    }), CHANNEL, AT);
    expect(verdictOf(restriction)).toMatchObject({ state: "restricted", reason: expect.stringContaining("RESTRICTED_BIZ_INITIATED_MESSAGING until 2026-12-30") });
    const [scheduled] = parseCloudApiDelivery(delivery("account_update", { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "SCHEDULE_FOR_DISABLE", waba_ban_date: "2026-12-07" } }), CHANNEL, AT);
    expect(verdictOf(scheduled)).toMatchObject({ state: "restricted", reason: expect.stringContaining("on 2026-12-07") });
  });

  it("a reinstatement or a violation is only noted: never connected from a push", () => {
    for (const value of [
      { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "REINSTATE" } },
      { event: "ACCOUNT_VIOLATION", violation_info: { violation_type: "SCAM" } },
    ]) {
      const [event] = parseCloudApiDelivery(delivery("account_update", value), CHANNEL, AT);
      expect(event.kind).toBe("status");
      expect(verdictOf(event)).toBeNull();
    }
  });

  it("account_update of another account, or naming another number of it, is left out", () => {
    expect(parseCloudApiDelivery(delivery("account_update", { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "DISABLE" } }, "555"), CHANNEL, AT)).toEqual([]);
    expect(parseCloudApiDelivery(delivery("account_update", { phone_number: "15550783881", event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "DISABLE" } }), CHANNEL, AT)).toEqual([]);
    expect(parseCloudApiDelivery(delivery("account_update", { event: "ACCOUNT_RESTRICTION" }), { ...CHANNEL, wabaId: null }, AT)).toEqual([]);
  });

  it("phone_number_quality_update: FLAGGED is restricted with the current limit; DOWNGRADE, UPGRADE, ONBOARDING noted; another number left out", () => {
    const quality = (event: string, display = "5511900000000") =>
      parseCloudApiDelivery(delivery("phone_number_quality_update", { display_phone_number: display, event, current_limit: "TIER_250" }), CHANNEL, AT);
    expect(verdictOf(quality("FLAGGED")[0])).toMatchObject({ state: "restricted", reason: expect.stringContaining("TIER_250") });
    for (const event of ["DOWNGRADE", "UPGRADE", "ONBOARDING"]) {
      const [noted] = quality(event);
      expect([noted.kind, verdictOf(noted)]).toEqual(["status", null]);
    }
    expect(quality("FLAGGED", "15550783881")).toEqual([]);
    expect(parseCloudApiDelivery(delivery("phone_number_quality_update", { display_phone_number: "5511900000000", event: "FLAGGED" }), { ...CHANNEL, phone: null }, AT)).toEqual([]);
  });

  it("several entries and changes come in Meta's order; other fields are left out; repeats share a dedupe key", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        { id: CHANNEL.wabaId, time: TIME, changes: [{ field: "message_template_status_update", value: { event: "APPROVED" } }, { field: "messages", value: messages(CHANNEL.phoneNumberId) }] },
        { id: CHANNEL.wabaId, time: TIME + 1, changes: [{ field: "account_update", value: { event: "ACCOUNT_RESTRICTION" } }] },
      ],
    };
    const events = parseCloudApiDelivery(body, CHANNEL, AT);
    expect(events.map((event) => event.kind)).toEqual(["ignored", "connection"]);
    const again = parseCloudApiDelivery(body, CHANNEL, AT);
    expect((again[1] as { dedupeKey: string }).dedupeKey).toBe((events[1] as { dedupeKey: string }).dedupeKey);
  });

  it("without an entry time the arrival orders it; another object is ignored as a whole", () => {
    const [event] = parseCloudApiDelivery({ object: "whatsapp_business_account", entry: [{ id: CHANNEL.wabaId, changes: [{ field: "account_update", value: { event: "ACCOUNT_RESTRICTION" } }] }] }, CHANNEL, AT);
    expect((event as { occurredAt: Date }).occurredAt).toEqual(AT);
    expect(parseCloudApiDelivery({ object: "page", entry: [] }, CHANNEL, AT)).toEqual([{ kind: "ignored", event: "page" }]);
  });

  it("garbage is invalid_response, naming where", () => {
    for (const body of [null, [], "x", { entry: [] }, { object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: { metadata: {} } }] }] }]) {
      const error = (() => {
        try {
          parseCloudApiDelivery(body, CHANNEL, AT);
          return null;
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe("invalid_response");
    }
  });
});
