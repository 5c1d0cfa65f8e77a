import { ALERTING_STATES, type AlertingState } from "@/lib/incidents/incident-states";

/**
 * The vocabulary of alerts: who is told (a contact), what they are told (a message about an incident,
 * or a test) and how (one sender per kind, lib/alerts/senders.ts). Senders deliver; they never decide
 * whether or when a message goes out (that is the outbox worker's job, lib/alerts/deliver-outbox.ts).
 */

export type AlertKind = "email" | "webhook" | "slack" | "whatsapp";
export const ALERT_KINDS: readonly AlertKind[] = ["email", "webhook", "slack", "whatsapp"];

/** Every state in which a channel is not serving: the incidents' list (public.is_alerting_state), not a copy. */
export type AlertState = AlertingState;
export const ALERT_STATES: readonly AlertState[] = ALERTING_STATES;

export type AlertLanguage = "pt-BR" | "en";
export const ALERT_LANGUAGES: readonly AlertLanguage[] = ["pt-BR", "en"];

/** The outbox row's kind: what happened to the incident, or a test a person asked for. */
export type AlertEvent = "opened" | "reminder" | "resolved" | "test";

export interface AlertChannelRef {
  id: string;
  name: string;
  phone: string | null;
  /** The channel's state in the incident (its last one once it left or the incident resolved). */
  state: AlertState;
}

/** What one alert says: fixed from the outbox row and its incident when it is sent. */
export interface AlertMessage {
  event: AlertEvent;
  tenantName: string;
  /** The tenant's IANA time zone: times in the message are local to it. */
  timeZone: string;
  incident: {
    id: string;
    kind: "channel" | "gateway";
    /** The worst state while the incident lasted (its current one while open). */
    state: AlertState;
    statesSeen: AlertState[];
    openedAt: Date;
    resolvedAt: Date | null;
    /** Gateway incidents: the gateway's host, for people to recognise it. */
    gatewayName: string | null;
    /** Reminders: which one this is (1, 2, …). */
    reminder: number;
    channels: AlertChannelRef[];
  } | null;
  /** When the message was made (test alerts say it). */
  at: Date;
}

/** A contact as a sender needs it: how to reach them and in which language. Secrets opened. */
export interface AlertRecipient {
  contactId: string;
  tenantId: string;
  name: string;
  kind: AlertKind;
  language: AlertLanguage;
  /** email: the address; whatsapp: E.164. */
  target: string | null;
  /** webhook and slack: the URL as the admin typed it, and (webhook) the signing secret. */
  webhook: { url: string; signingSecret: string | null } | null;
}

export type SendOutcome =
  | { ok: true; detail?: string }
  /**
   * `retry`: another attempt later may succeed (a timeout, a 5xx, an SMTP 4xx); false when only a person
   * can change it (a refused address, a 4xx, the sender channel is the incident's own).
   */
  | { ok: false; error: string; retry: boolean };

export interface AlertDelivery {
  recipient: AlertRecipient;
  message: AlertMessage;
  /** Unique per outbox row: receivers can drop a repeat (webhook `id`, e-mail Message-ID). */
  deliveryId: string;
}

/** One per AlertKind, registered in lib/alerts/senders.ts. Never throws: a failure is an outcome. */
export interface AlertSender {
  readonly kind: AlertKind;
  send(delivery: AlertDelivery): Promise<SendOutcome>;
}

/** Critical incidents may override a contact's quiet hours: one definition, lib/incidents/incident-states.ts. */
export { isCriticalIncident } from "@/lib/incidents/incident-states";
