import { z } from "zod";
import { channelInputSchema } from "@/lib/channels/channel-input";
import { credentialProblems } from "@/lib/providers/traits";
import type { ProviderKind } from "@/lib/providers/types";
import type { DownstreamFormValues } from "@/lib/channels/downstream-form";
import { DEFAULT_CALLING_CODE, normalizeGatewayUrl, normalizePhone } from "@/lib/channels/normalize-input";
import type { DownstreamField } from "@/lib/channels/set-downstream";
import { INVALID_CHARACTERS } from "@/lib/text/plain-text";
import type { ChannelState } from "@/lib/monitor/states";

/**
 * The add/edit form: the CLI's rules (channel-input.ts) minus what the page decides (the tenant).
 * Errors leave as message keys (`manage.errors.<key>`) so the form can say them in the reader's language.
 */

export const CHANNEL_FIELDS = [
  "provider", "gatewayUrl", "instanceName", "apiKey", "clientToken", "wabaId", "appSecret", "displayName", "phoneNumber",
] as const;
export type ChannelField = (typeof CHANNEL_FIELDS)[number];
/** Secrets: typed here, never sent back to the browser. */
export type SecretField = "apiKey" | "clientToken" | "appSecret";

// A submit without the choice (a page from before there was one) meant Evolution, the only kind it offered.
const createSchema = channelInputSchema.omit({ tenantId: true }).extend({ provider: channelInputSchema.shape.provider.default("evolution") });
/** On edit a blank key (or client token) means "keep the stored one". */
const editSchema = createSchema.extend({ apiKey: channelInputSchema.shape.apiKey.optional() });

export type ChannelFormValues = z.output<typeof editSchema>;
export type FieldErrors = Partial<Record<ChannelField | DownstreamField, string>>;

/** What the form shows after a submit: the typed values back (never a secret), errors, a test result. */
export interface ChannelFormState {
  values: Partial<Record<Exclude<ChannelField, SecretField>, string>>;
  errors: FieldErrors;
  /** The platform webhook part (mode, downstream URL and headers), as typed or as shown masked. */
  downstream?: DownstreamFormValues;
  /** A message key under `manage` for what is not one field's fault. */
  formError?: string;
  test?: { state: ChannelState; reason: string; latencyMs: number | null };
}

export const EMPTY_FORM: ChannelFormState = { values: {}, errors: {} };

/**
 * FormData → the schema's input: trimmed, blanks as absent (phone: null), and what people usually type
 * made canonical before validation (normalize-input.ts): a national phone number gets the tenant's
 * calling code, a bare gateway host gets https://. The CLI does not go through here: it keeps E.164
 * and explicit URLs strictly.
 */
export function readChannelForm(data: FormData, callingCode: string = DEFAULT_CALLING_CODE) {
  const text = (name: string) => {
    const value = data.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  const phone = text("phoneNumber");
  return {
    // A form without the choice (an older page still open) meant Evolution, the only kind it offered.
    provider: text("provider") || "evolution",
    gatewayUrl: normalizeGatewayUrl(text("gatewayUrl")),
    instanceName: text("instanceName"),
    apiKey: text("apiKey") || undefined,
    clientToken: text("clientToken") || undefined,
    wabaId: text("wabaId") || undefined,
    appSecret: text("appSecret") || undefined,
    displayName: text("displayName"),
    phoneNumber: phone ? normalizePhone(phone, callingCode) : null,
  };
}

export function echoValues(input: ReturnType<typeof readChannelForm>): ChannelFormState["values"] {
  return {
    provider: input.provider,
    gatewayUrl: input.gatewayUrl,
    instanceName: input.instanceName,
    wabaId: input.wabaId ?? "",
    displayName: input.displayName,
    phoneNumber: input.phoneNumber ?? "",
  };
}

function errorKey(field: ChannelField, issue: z.core.$ZodIssue): string {
  if (field === "provider") return "provider.invalid";
  if (issue.code === "invalid_type" || (issue.code === "too_small" && Number(issue.minimum) <= 1)) {
    return field === "gatewayUrl" || field === "phoneNumber" || field === "wabaId" ? `${field}.invalid` : `${field}.required`;
  }
  if (issue.code === "custom" && issue.params?.reason === INVALID_CHARACTERS) return `${field}.${INVALID_CHARACTERS}`;
  if (issue.code === "too_small") return `${field}.tooShort`;
  if (issue.code === "too_big") return `${field}.tooLong`;
  return `${field}.invalid`;
}

export type Validated =
  | { ok: true; value: ChannelFormValues }
  | { ok: false; errors: FieldErrors };

const gatewaySchema = editSchema.pick({ provider: true, gatewayUrl: true, instanceName: true, apiKey: true, clientToken: true, wabaId: true });

/**
 * The fields, then the credentials the chosen kind takes (lib/providers/traits.ts): one it does not take
 * is refused; one it needs is required, except on edit where blank means the stored one (the server
 * then checks there is one where the channel stays).
 */
export function validateChannelForm(input: unknown, mode: "create" | "edit"): Validated {
  return withCredentials(validateWith(mode === "create" ? createSchema : editSchema, input), mode);
}

/** Only what "test connection" needs; the key may be blank (then the stored one is meant). */
export function validateGatewayFields(input: unknown):
  | { ok: true; value: z.output<typeof gatewaySchema> }
  | { ok: false; errors: FieldErrors } {
  return withCredentials(validateWith(gatewaySchema, input), "edit");
}

function withCredentials<T extends { provider: ProviderKind; clientToken?: string | null; wabaId?: string | null }>(
  valid: { ok: true; value: T } | { ok: false; errors: FieldErrors },
  mode: "create" | "edit",
): { ok: true; value: T } | { ok: false; errors: FieldErrors } {
  if (!valid.ok) return valid;
  const errors: FieldErrors = {};
  for (const { field, problem } of credentialProblems(valid.value.provider, valid.value)) {
    if (problem === "refused") errors[field] = `${field}.refused`;
    else if (mode === "create" || field === "wabaId") errors[field] = `${field}.required`;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : valid;
}

function validateWith<T>(schema: z.ZodType<T>, input: unknown): { ok: true; value: T } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as ChannelField;
    if (CHANNEL_FIELDS.includes(field) && !errors[field]) errors[field] = errorKey(field, issue);
  }
  return { ok: false, errors };
}

/** A refusal as the form shows it: a message key under `manage`, not a field's fault. */
export function refusedForm(values: ChannelFormState["values"], status: "not_found" | "forbidden" | "rate_limited"): ChannelFormState {
  return { values, errors: {}, formError: status === "not_found" ? "formErrors.notFound" : "formErrors.forbidden" };
}
