import type { RawContactInput } from "@/lib/alerts/contact-input";
import { ALERT_KINDS, ALERT_STATES, type AlertKind } from "@/lib/alerts/types";

/**
 * The settings page's contact form, read from FormData into what lib/alerts validates. Pure, and total:
 * whatever a browser (or anyone) posts becomes an input or a refusal, never an exception.
 */

export interface ContactFormState {
  status: "idle" | "saved" | "invalid" | "refused";
  /** Form field → message key under alertSettings.errors. */
  errors: Record<string, string>;
  /** A new signing secret, shown once right after it was made. */
  signingSecret?: string | null;
  /** Echo of what was typed (never a webhook URL), so a refused form keeps it. */
  values: Record<string, string | string[] | boolean>;
}

/** What "send a test alert" shows next to its button. */
export type TestState =
  | { status: "idle" }
  | { status: "refused" }
  | { status: "done"; outcome: { outboxId: string; status: "pending" | "sending" | "sent" | "failed"; error: string | null } };

export const EMPTY_CONTACT_FORM: ContactFormState = { status: "idle", errors: {}, values: {} };

const text = (data: FormData, name: string) => {
  const value = data.get(name);
  return typeof value === "string" ? value.trim() : "";
};

export function readContactForm(data: FormData): { raw: RawContactInput; rotateSecret: boolean; contactId: string | null; echo: ContactFormState["values"] } {
  const kindText = text(data, "kind");
  const kind = ((ALERT_KINDS as readonly string[]).includes(kindText) ? kindText : "email") as AlertKind;
  const allChannels = text(data, "channelScope") !== "some";
  const channelIds = allChannels ? [] : data.getAll("channelIds").filter((v): v is string => typeof v === "string");
  const states = data.getAll("states").filter((v): v is string => typeof v === "string" && (ALERT_STATES as readonly string[]).includes(v));
  const quietStart = text(data, "quietStart");
  const quietEnd = text(data, "quietEnd");
  const language = text(data, "language") === "en" ? "en" : "pt-BR";
  const contactId = text(data, "contactId") || null;
  const raw: RawContactInput = {
    name: text(data, "name"),
    kind,
    target: kind === "email" || kind === "whatsapp" ? text(data, "target") : null,
    webhookUrl: kind === "webhook" || kind === "slack" ? text(data, "webhookUrl") || null : null,
    // "Only these" with none ticked is a refusal, not silently "all".
    channelIds: allChannels ? null : channelIds.length > 0 ? channelIds : ["none"],
    states: states.length > 0 ? states : null,
    language,
    quietHours: quietStart || quietEnd ? `${quietStart}-${quietEnd}` : null,
    criticalOverridesQuiet: data.get("criticalOverridesQuiet") === "on",
  };
  const echo = {
    name: raw.name ?? "",
    kind,
    target: raw.target ?? "",
    channelScope: allChannels ? "all" : "some",
    channelIds,
    states,
    language,
    quietStart,
    quietEnd,
    criticalOverridesQuiet: raw.criticalOverridesQuiet === true,
  };
  return { raw, rotateSecret: data.get("rotateSecret") === "on", contactId, echo };
}

/** A field refused by lib/alerts → the message key the form shows under it. */
export function fieldErrorKey(field: string, reason: string): string {
  if (reason.startsWith("refused.")) return "webhookRefused";
  const known: Record<string, string> = {
    name: "name",
    target: reason === "phone" ? "phone" : "email",
    webhookUrl: reason === "required" ? "webhookRequired" : "webhookUrl",
    channelIds: "channels",
    states: "states",
    quietHours: "quietHours",
  };
  return known[field] ?? "invalid";
}
