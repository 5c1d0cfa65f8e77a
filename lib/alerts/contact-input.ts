import { z } from "zod";
import { parseQuietHours, type QuietHours } from "@/lib/alerts/quiet-hours";
import { ALERT_KINDS, ALERT_LANGUAGES, ALERT_STATES, type AlertKind, type AlertLanguage, type AlertState } from "@/lib/alerts/types";
import { noForbiddenCharacters } from "@/lib/text/plain-text";

/**
 * What a person may type for an alert contact, from the CLI or the settings page; the same rules as the
 * table's checks (public.alert_contacts), so the database never has to refuse what passed here. Each
 * issue's `params.field` names the form field and `params.reason` the message key (settings.alerts.errors).
 */

export interface ContactInput {
  name: string;
  kind: AlertKind;
  /** email: the address; whatsapp: E.164; null for webhook kinds. */
  target: string | null;
  /** webhook and slack: the URL (required on create; null on edit keeps the stored one). */
  webhookUrl: string | null;
  channelIds: string[] | null;
  states: AlertState[] | null;
  language: AlertLanguage;
  quietHours: QuietHours | null;
  criticalOverridesQuiet: boolean;
}

export class ContactInputError extends Error {
  constructor(readonly field: string, readonly reason: string, message: string) {
    super(message);
    this.name = "ContactInputError";
  }
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const E164 = /^\+[1-9][0-9]{7,14}$/;

const rawSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(120, "name is too long").refine(...noForbiddenCharacters("name")),
  kind: z.enum(ALERT_KINDS as [AlertKind, ...AlertKind[]], `kind must be one of: ${ALERT_KINDS.join(", ")}`),
  target: z.string().trim().nullish(),
  webhookUrl: z.string().trim().nullish(),
  channelIds: z.array(z.uuid("channel ids must be UUIDs")).nullish(),
  states: z.array(z.string()).nullish(),
  language: z.enum(ALERT_LANGUAGES as [AlertLanguage, ...AlertLanguage[]], "language must be pt-BR or en").default("pt-BR"),
  quietHours: z.string().trim().nullish(),
  criticalOverridesQuiet: z.boolean().default(true),
});

export type RawContactInput = z.input<typeof rawSchema>;

/** Validates; throws ContactInputError naming the field and why. `creating`: a webhook URL is required. */
export function parseContactInput(raw: RawContactInput, options: { creating: boolean }): ContactInput {
  const parsed = rawSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? "name");
    throw new ContactInputError(field, "invalid", issue.message);
  }
  const value = parsed.data;
  let target: string | null = null;
  let webhookUrl: string | null = null;
  if (value.kind === "email") {
    target = (value.target ?? "").toLowerCase();
    if (!EMAIL.test(target) || target.length > 320) throw new ContactInputError("target", "email", "e-mail address is not valid");
  } else if (value.kind === "whatsapp") {
    target = value.target ?? "";
    if (!E164.test(target)) throw new ContactInputError("target", "phone", "WhatsApp number must be in E.164 form, e.g. +5511987654321");
  } else {
    webhookUrl = value.webhookUrl ? value.webhookUrl : null;
    if (webhookUrl === null && options.creating) throw new ContactInputError("webhookUrl", "required", "webhook URL is required");
    if (webhookUrl !== null && (!/^https?:\/\//i.test(webhookUrl) || !URL.canParse(webhookUrl) || webhookUrl.length > 2000)) {
      throw new ContactInputError("webhookUrl", "invalid", "webhook URL must be an http(s) URL");
    }
  }
  const unknownState = value.states?.find((state) => !(ALERT_STATES as readonly string[]).includes(state));
  if (unknownState !== undefined) {
    throw new ContactInputError("states", "invalid", `unknown state "${unknownState}" (states: ${ALERT_STATES.join(", ")})`);
  }
  let quietHours: QuietHours | null = null;
  if (value.quietHours) {
    quietHours = parseQuietHours(value.quietHours);
    if (!quietHours || quietHours.start === quietHours.end) {
      throw new ContactInputError("quietHours", "invalid", "quiet hours must be HH:MM-HH:MM, e.g. 22:00-07:00");
    }
  }
  return {
    name: value.name,
    kind: value.kind,
    target,
    webhookUrl,
    channelIds: value.channelIds && value.channelIds.length > 0 ? [...new Set(value.channelIds)] : null,
    states: value.states && value.states.length > 0 ? ([...new Set(value.states)] as AlertState[]) : null,
    language: value.language,
    quietHours,
    criticalOverridesQuiet: value.criticalOverridesQuiet,
  };
}
