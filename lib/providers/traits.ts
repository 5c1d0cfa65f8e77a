import type { ProviderKind } from "@/lib/providers/types";

/**
 * What each gateway kind is, without talking to it: what its channels authenticate with, which of
 * Sentinela's capabilities it has, and what Sentinela's own webhook subscribes to there. Pure data, so
 * the form, the CLI and the pages decide from it as the server does; registry.test.ts checks that every
 * adapter has exactly the optional methods its traits declare.
 */

export interface ProviderTraits {
  /** The gateway's product name, as "Detalhes técnicos" and the form's choice show it. */
  label: string;
  /** What a channel's instance name is on this gateway (messages name it). */
  instanceTerm: string;
  /** Extra credentials besides the API key: true means required, false means refused. */
  credentials: { clientToken: boolean; wabaId: boolean };
  /**
   * The gateway signs its webhook deliveries with an app secret the channel may store (Cloud API:
   * `X-Hub-Signature-256` with the Meta app's secret, `--app-secret`). Absent: the kind takes none.
   */
  appSecret?: "optional";
  capabilities: {
    /** Restart/connect a session (the monitor's reconnect, a forced reconnect). */
    reconnect: boolean;
    /** Re-pair with a QR code. */
    pairing: boolean;
    /**
     * Install and repair Sentinela's webhook: `one` per instance (Evolution: a foreign one is adopted
     * as the downstream), a `list` per session (WAHA: ours is added beside the platform's, which is
     * never touched), or `none`.
     */
    webhook: "one" | "list" | "none";
    /** List the gateway's sessions with its global key (`import <kind>`; Cloud API: a WABA's phone numbers). */
    importSessions: boolean;
    /**
     * The listing says each session's state, so one listing may answer for many channels (the monitor's
     * bulk reads, lib/monitor/bulk-state-reads.ts). The Cloud API's listing is no health read: false.
     */
    bulkStateReads: boolean;
    /** Send an alert as a WhatsApp message from a channel. */
    sendText: boolean;
    /**
     * Check (and repair) that an app is subscribed to the account's webhooks, where the gateway's
     * webhooks are an app's subscription rather than a URL per instance (Cloud API: subscribed_apps on
     * the WhatsApp Business Account). Needs the channel's account id.
     */
    appSubscription: boolean;
  };
  /** The events Sentinela's own webhook subscribes to on a new channel of this kind (config names). */
  webhookEvents: readonly string[];
}

export const PROVIDER_TRAITS: Record<ProviderKind, ProviderTraits> = {
  evolution: {
    label: "Evolution API",
    instanceTerm: "instance",
    credentials: { clientToken: false, wabaId: false },
    capabilities: { reconnect: true, pairing: true, webhook: "one", importSessions: true, bulkStateReads: true, sendText: true, appSubscription: false },
    // channels.webhook_events' column default, kept in step with it.
    webhookEvents: ["CONNECTION_UPDATE", "QRCODE_UPDATED", "STATUS_INSTANCE", "LOGOUT_INSTANCE", "MESSAGES_UPSERT"],
  },
  waha: {
    label: "WAHA",
    instanceTerm: "session",
    credentials: { clientToken: false, wabaId: false },
    // sendText: WAHA's answer to POST /api/sendText is each engine's own message object: a 2xx with an object is a send.
    capabilities: { reconnect: true, pairing: true, webhook: "list", importSessions: true, bulkStateReads: true, sendText: true, appSubscription: false },
    // Status changes, and messages as signs of life ("connected but silent").
    webhookEvents: ["session.status", "message"],
  },
  zapi: {
    label: "Z-API",
    instanceTerm: "instance",
    // The API key is the instance token; the client token is the account's security token (Client-Token).
    credentials: { clientToken: true, wabaId: false },
    // webhook "one": one URL per event, the secret in the URL (Z-API sends no custom header); a
    // platform's URL found there is adopted as the downstream. No listing for an instance token: no import.
    capabilities: { reconnect: true, pairing: true, webhook: "one", importSessions: false, bulkStateReads: false, sendText: true, appSubscription: false },
    webhookEvents: ["connected", "disconnected"],
  },
  "cloud-api": {
    label: "WhatsApp Cloud API",
    instanceTerm: "phone number id",
    // The API key is the access token (Bearer); the WABA id names the account whose app subscription is checked.
    credentials: { clientToken: false, wabaId: true },
    // Optional: without it the channel is monitored by its checks alone (deliveries are refused, 409).
    appSecret: "optional",
    // Import lists the WABA's phone numbers (`import cloud-api --waba-id`); that listing is no health read.
    // No session (nothing to restart or pair); webhooks are the Meta app's, not per number: no webhook
    // per instance, but the app's subscription to the WABA (subscribed_apps) is checked and repaired.
    capabilities: { reconnect: false, pairing: false, webhook: "none", importSessions: true, bulkStateReads: false, sendText: true, appSubscription: true },
    webhookEvents: [],
  },
};

/** Names of the credential flags/fields, as the CLI and the form spell them. */
export const CREDENTIAL_FLAGS = { clientToken: "--client-token", wabaId: "--waba-id", appSecret: "--app-secret" } as const;

/**
 * Which extra credentials are wrong for `kind`: required ones missing, refused ones given. One
 * sentence per problem, naming the CLI flag; empty when the combination is right.
 */
export function credentialProblems(
  kind: ProviderKind,
  given: { clientToken?: string | null; wabaId?: string | null; appSecret?: string | null },
): { field: "clientToken" | "wabaId" | "appSecret"; problem: "missing" | "refused"; message: string }[] {
  const traits = PROVIDER_TRAITS[kind];
  const problems: ReturnType<typeof credentialProblems> = [];
  const present = (field: keyof typeof given) => typeof given[field] === "string" && given[field]!.trim() !== "";
  for (const field of ["clientToken", "wabaId"] as const) {
    const flag = CREDENTIAL_FLAGS[field];
    if (traits.credentials[field] && !present(field)) {
      problems.push({ field, problem: "missing", message: `${kind} channels need ${flag}` });
    } else if (!traits.credentials[field] && present(field)) {
      problems.push({ field, problem: "refused", message: `${kind} channels take no ${flag}` });
    }
  }
  if (!traits.appSecret && present("appSecret")) {
    problems.push({ field: "appSecret", problem: "refused", message: `${kind} channels take no ${CREDENTIAL_FLAGS.appSecret}` });
  }
  return problems;
}
