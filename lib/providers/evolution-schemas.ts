import { z } from "zod";
import { readAnswer, type GatewayResponse } from "@/lib/providers/http";
import type { ConnectResult, GatewayInstance, WebhookConfig } from "@/lib/providers/types";

/** Event names Evolution API v2 accepts in a webhook config (its EventController.events). */
export const EVOLUTION_WEBHOOK_EVENTS = [
  "APPLICATION_STARTUP",
  "QRCODE_UPDATED",
  "MESSAGES_SET",
  "MESSAGES_UPSERT",
  "MESSAGES_EDITED",
  "MESSAGES_UPDATE",
  "MESSAGES_DELETE",
  "SEND_MESSAGE",
  "CONTACTS_SET",
  "CONTACTS_UPSERT",
  "CONTACTS_UPDATE",
  "PRESENCE_UPDATE",
  "CHATS_SET",
  "CHATS_UPSERT",
  "CHATS_UPDATE",
  "CHATS_DELETE",
  "GROUPS_UPSERT",
  "GROUP_UPDATE", // singular, unlike GROUPS_UPSERT: "GROUPS_UPDATE" is rejected by the gateway
  "GROUP_PARTICIPANTS_UPDATE",
  "CONNECTION_UPDATE",
  "LABELS_EDIT",
  "LABELS_ASSOCIATION",
  "CALL",
  "TYPEBOT_START",
  "TYPEBOT_CHANGE_STATUS",
  "REMOVE_INSTANCE",
  "LOGOUT_INSTANCE",
  "INSTANCE_CREATE",
  "INSTANCE_DELETE",
  "STATUS_INSTANCE",
] as const;

export type EvolutionWebhookEvent = (typeof EVOLUTION_WEBHOOK_EVENTS)[number];

const VALID_EVENTS: ReadonlySet<string> = new Set(EVOLUTION_WEBHOOK_EVENTS);

export function invalidWebhookEvents(events: readonly string[]): string[] {
  return events.filter((event) => !VALID_EVENTS.has(event));
}

export const gatewayStateSchema = z.enum(["open", "connecting", "close", "refused"]);

export const connectionStateSchema = z.object({
  instance: z.object({ instanceName: z.string().optional(), state: gatewayStateSchema }),
});

/** `{"pairingCode":null,"code":"2@…","base64":"data:…","count":1}`, or just `{"count":0}`. */
const qrAnswerSchema = z
  .object({
    pairingCode: z.string().nullish(),
    code: z.string().nullish(),
    base64: z.string().nullish(),
    count: z.number().int().nonnegative().optional(),
  })
  .refine((answer) => answer.count !== undefined || typeof answer.code === "string", {
    message: "neither a QR code nor a count",
  });

/** What connect answers for an instance in a state it has no branch for (seen: `refused`). */
const statusAnswerSchema = z.object({
  instance: z.object({ instanceName: z.string().optional(), status: z.string() }),
  qrcode: qrAnswerSchema.nullish(),
});

type QrAnswer = z.infer<typeof qrAnswerSchema>;

function fromQrAnswer(answer: QrAnswer | null | undefined): ConnectResult {
  const count = answer?.count ?? 0;
  if (answer && typeof answer.code === "string" && answer.code.length > 0) {
    return {
      kind: "qr",
      code: answer.code,
      ...(answer.base64 ? { base64: answer.base64 } : {}),
      pairingCode: answer.pairingCode ?? null,
      count,
    };
  }
  return { kind: "pending", count };
}

export const connectAnswerSchema = z.union([connectionStateSchema, statusAnswerSchema, qrAnswerSchema]);

export function toConnectResult(answer: z.infer<typeof connectAnswerSchema>): ConnectResult {
  if ("instance" in answer && "state" in answer.instance) {
    return answer.instance.state === "open" ? { kind: "open" } : { kind: "pending", count: 0 };
  }
  if ("instance" in answer) return fromQrAnswer("qrcode" in answer ? answer.qrcode : undefined);
  return fromQrAnswer(answer);
}

/** Rows of `fetchInstances`; only what the reason lookup needs, everything else passes untouched. */
export const instanceRowsSchema = z.array(
  z.looseObject({
    name: z.string().optional(),
    disconnectionReasonCode: z.unknown().optional(),
    /** The paired phone; null on an instance that was never paired (2.3.6). */
    ownerJid: z.unknown().optional(),
  }),
);

/** Rows of the whole listing (`fetchInstances` without `instanceName`): what an import shows and keeps. */
export const instanceListSchema = z.array(
  z.looseObject({
    name: z.string().min(1),
    connectionStatus: z.string().nullish(),
    ownerJid: z.string().nullish(),
    profileName: z.string().nullish(),
    token: z.string().nullish(),
  }),
);

const LISTED_STATES: ReadonlySet<string> = new Set(["open", "connecting", "close", "refused"]);

/**
 * `5511987654321@s.whatsapp.net` (or with a device suffix, `…:12@s.whatsapp.net`) → `+5511987654321`.
 * Anything that is not a phone JID (a `@lid`, a group, a number E.164 cannot hold) is null, not a guess.
 */
export function phoneFromJid(jid: unknown): string | null {
  if (typeof jid !== "string") return null;
  const match = /^([1-9][0-9]{7,14})(?::[0-9]+)?@s\.whatsapp\.net$/.exec(jid.trim());
  return match ? `+${match[1]}` : null;
}

export function toGatewayInstance(row: z.infer<typeof instanceListSchema>[number]): GatewayInstance {
  const status = row.connectionStatus ?? "";
  return {
    name: row.name,
    phone: phoneFromJid(row.ownerJid),
    connectionStatus: LISTED_STATES.has(status) ? (status as GatewayInstance["connectionStatus"]) : "unknown",
    ...(row.token ? { token: row.token } : {}),
    profileName: row.profileName ?? null,
  };
}

export function reasonCodeOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\d{3}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

export const webhookRowSchema = z.object({
  url: z.string(),
  enabled: z.boolean(),
  events: z.array(z.string()).nullish(),
  headers: z.record(z.string(), z.string()).nullish(),
  webhookByEvents: z.boolean().nullish(),
  webhookBase64: z.boolean().nullish(),
});

export function toWebhookConfig(row: z.infer<typeof webhookRowSchema>): WebhookConfig {
  return {
    enabled: row.enabled,
    url: row.url,
    events: row.events ?? [],
    headers: row.headers ?? {},
    byEvents: row.webhookByEvents ?? false,
    base64: row.webhookBase64 ?? false,
  };
}

/**
 * What `POST /message/sendText/{instance}` answers (2.3.x, Baileys): the stored message, with its key
 * (`fromMe: true`) and `status: "PENDING"` until the phone acknowledges it.
 */
export const sentTextSchema = z.object({
  key: z.object({ remoteJid: z.string().optional(), fromMe: z.boolean().optional(), id: z.string().min(1) }),
  status: z.string().nullish(),
  messageTimestamp: z.union([z.number(), z.string()]).optional(),
});

const GATEWAY_STATES: ReadonlySet<unknown> = new Set(gatewayStateSchema.options);
const nullishString = (value: unknown) => value === undefined || value === null || typeof value === "string";

/**
 * connectionState's answer, on every check: checked by hand for exactly what connectionStateSchema
 * accepts; zod only reads it when it is wrong, to say what is. Same verdicts, a fraction of the CPU at
 * thousands of answers a pass.
 */
export function readConnectionState(response: GatewayResponse, operation: string): z.infer<typeof gatewayStateSchema> {
  const instance = (response.body as { instance?: { instanceName?: unknown; state?: unknown } } | null)?.instance;
  if (typeof instance === "object" && instance !== null && GATEWAY_STATES.has(instance.state)
    && (instance.instanceName === undefined || typeof instance.instanceName === "string")) {
    return instance.state as z.infer<typeof gatewayStateSchema>;
  }
  return readAnswer(connectionStateSchema, response, operation).instance.state;
}

/** The whole listing (a bulk read answers for a gateway's channels with it): by hand as above, zod for what is wrong. */
export function readInstanceList(response: GatewayResponse, operation: string): z.infer<typeof instanceListSchema> {
  const rows = response.body;
  const plausible = Array.isArray(rows) && rows.every((row: unknown) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) return false;
    const r = row as Record<string, unknown>;
    return typeof r.name === "string" && r.name.length > 0 && nullishString(r.connectionStatus) && nullishString(r.ownerJid)
      && nullishString(r.profileName) && nullishString(r.token);
  });
  return plausible ? (rows as z.infer<typeof instanceListSchema>) : readAnswer(instanceListSchema, response, operation);
}
