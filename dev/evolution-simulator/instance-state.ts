import type { Random } from "./random";
import {
  configEventName,
  type InstanceSpec,
  type InstanceSummary,
  type ResolvedOptions,
  type SimInstance,
  type SimState,
  type StoredStatus,
} from "./model";
import type { DeliveryResult, WebhookDelivery, WebhookPayload } from "./webhook-delivery";

/**
 * One instance's state and the events its changes produce. Every state change goes through
 * `transition`, so the webhook a receiver sees always matches what the API answers afterwards.
 */

export interface SimContext {
  readonly options: ResolvedOptions;
  readonly random: Random;
  readonly delivery: WebhookDelivery;
  readonly serverUrl: string;
}

export interface SimEvent {
  event: string;
  data: unknown;
}

// Close codes after which the gateway does not reconnect and records a `status.instance` "closed".
const FATAL_CLOSE_CODES = new Set([401, 402, 403, 406]);

export function createInstance(ctx: SimContext, spec: InstanceSpec): SimInstance {
  const now = new Date().toISOString();
  const hex = "0123456789abcdef";
  const id = [8, 4, 4, 4, 12].map((length) => ctx.random.text(length, hex)).join("-");
  const phoneJid = `55${ctx.random.text(11, "0123456789")}@s.whatsapp.net`;
  return {
    id,
    name: spec.name,
    token: spec.token ?? ctx.random.text(32, hex).toUpperCase(),
    scenario: "healthy",
    downMode: spec.downMode ?? "503",
    latencyMs: spec.latencyMs ?? ctx.options.latencyMs,
    recoverAfterMs: spec.recoverAfterMs ?? 8000,
    flapIntervalMs: spec.flapIntervalMs ?? 3000,
    state: "open",
    // Paired before the simulation began: its row says open.
    storedStatus: spec.storedStatus ?? "open",
    storeWrites: new Set(),
    storeSeq: { issued: 0, applied: 0 },
    reasonCode: null,
    disconnectedAt: null,
    needsQr: false,
    qr: null,
    phoneJid,
    ownerJid: phoneJid,
    profileName: `Sim ${spec.name}`,
    webhook: null,
    calls: {},
    deliveries: { delivered: 0, failed: 0, attempts: 0 },
    sent: [],
    timers: new Set(),
    lastEventMs: 0,
    createdAt: now,
  };
}

export function schedule(instance: SimInstance, ms: number, run: () => void): void {
  const timer = setTimeout(() => {
    instance.timers.delete(timer);
    run();
  }, ms);
  instance.timers.add(timer);
}

export function clearTimers(instance: SimInstance): void {
  for (const timer of instance.timers) clearTimeout(timer);
  instance.timers.clear();
}

/** The instance is gone (removed, reset): its pending row writes go with it. */
export function dropInstance(instance: SimInstance): void {
  clearTimers(instance);
  for (const timer of instance.storeWrites) clearTimeout(timer);
  instance.storeWrites.clear();
}

/**
 * Writes the database row's status, `statusStoreDelayMs` after the live change: 2.3.6 awaits a profile
 * read (and more) before its `prisma.instance.update`. Writes apply in the order they were made.
 */
export function storeStatus(ctx: SimContext, instance: SimInstance, status: StoredStatus): void {
  const seq = ++instance.storeSeq.issued;
  const apply = () => {
    if (seq <= instance.storeSeq.applied) return;
    instance.storeSeq.applied = seq;
    instance.storedStatus = status;
  };
  const delay = ctx.options.statusStoreDelayMs;
  if (delay <= 0) return apply();
  const timer = setTimeout(() => {
    instance.storeWrites.delete(timer);
    apply();
  }, delay);
  instance.storeWrites.add(timer);
}

/**
 * Where 2.3.6's `BaileysStartupService.connectionUpdate` writes the row: `open` when the session opens,
 * `close` only for the close codes it does not reconnect from (401, 403, 402, 406), `connecting` when a
 * QR code is issued (see issueQr). A reconnectable close (408, 428, 440, 500, 515 …) and a plain
 * `connecting` are never written: the row keeps saying `open` while the live state is `close`.
 */
function storeTransition(ctx: SimContext, instance: SimInstance, next: SimState, reason: number | null): void {
  if (next === "open") storeStatus(ctx, instance, "open");
  else if (next === "close" && reason !== null && FATAL_CLOSE_CODES.has(reason)) storeStatus(ctx, instance, "close");
}

function nextEventTime(instance: SimInstance): string {
  instance.lastEventMs = Math.max(Date.now(), instance.lastEventMs + 1);
  return new Date(instance.lastEventMs).toISOString();
}

/** Sends events to the instance's webhook if it is enabled and subscribed to them; never rejects. */
export function emitEvents(ctx: SimContext, instance: SimInstance, events: readonly SimEvent[]): Promise<DeliveryResult[]> {
  const webhook = instance.webhook;
  if (!webhook || !webhook.enabled) return Promise.resolve([]);
  const payloads: WebhookPayload[] = events
    .filter(({ event }) => webhook.events.includes(configEventName(event)))
    .map(({ event, data }) => ({
      event,
      instance: instance.name,
      data,
      destination: webhook.url,
      date_time: nextEventTime(instance),
      // A never-paired instance has no owner; the gateway then sends no sender.
      ...(instance.ownerJid ? { sender: instance.ownerJid } : {}),
      server_url: ctx.serverUrl,
      apikey: instance.token,
    }));
  if (payloads.length === 0) return Promise.resolve([]);
  return ctx.delivery.deliver(webhook, instance.deliveries, payloads);
}

export function connectionUpdate(instance: SimInstance, state: SimState, reason: number | null): SimEvent {
  const closed = state === "close" || state === "refused";
  const data: Record<string, unknown> = { instance: instance.name, state };
  if (closed && reason !== null) data.statusReason = reason;
  if (!closed) data.statusReason = 200;
  if (state === "open") Object.assign(data, { wuid: instance.ownerJid, profileName: instance.profileName, profilePictureUrl: null });
  return { event: "connection.update", data };
}

/** The gateway retrying before it settles: `close, connecting, close, …` ending in the final state. */
function burstSteps(final: SimState, reason: number | null, size: number): Array<[SimState, number | null]> {
  const other: SimState = final === "connecting" ? "close" : "connecting";
  const steps: Array<[SimState, number | null]> = [];
  for (let i = Math.max(1, size) - 1; i >= 0; i -= 1) {
    const state = i % 2 === 0 ? final : other;
    steps.push([state, state === "close" || state === "refused" ? reason : null]);
  }
  return steps;
}

export function transition(
  ctx: SimContext,
  instance: SimInstance,
  next: SimState,
  reason: number | null = null,
  options: { burst?: boolean; extra?: SimEvent[] } = {},
): void {
  instance.state = next;
  if (next === "close" || next === "refused") {
    instance.reasonCode = reason;
    instance.disconnectedAt = new Date().toISOString();
  }
  storeTransition(ctx, instance, next, reason);
  const steps = options.burst ? burstSteps(next, reason, ctx.options.webhook.burstSize) : [[next, reason] as const];
  const events = steps.map(([state, code]) => connectionUpdate(instance, state, code));
  if (next === "close" && reason !== null && FATAL_CLOSE_CODES.has(reason)) {
    events.push({
      event: "status.instance",
      data: {
        instance: instance.name,
        status: "closed",
        disconnectionAt: instance.disconnectedAt,
        disconnectionReasonCode: reason,
        disconnectionObject: JSON.stringify({ error: { output: { statusCode: reason } } }),
      },
    });
  }
  events.push(...(options.extra ?? []));
  void emitEvents(ctx, instance, events);
}

export function stateAnswer(instance: SimInstance) {
  return { instance: { instanceName: instance.name, state: instance.state } };
}

/** The gateway's `instance.qrCode`: undefined fields vanish in JSON, hence the bare `{"count":0}`. */
export function qrAnswer(instance: SimInstance) {
  if (!instance.qr) return { count: 0 };
  return { pairingCode: null, code: instance.qr.code, base64: instance.qr.base64, count: instance.qr.count };
}

/**
 * A `fetchInstances` row (Prisma's Instance with counts): what the gateway's database stored, not the
 * live state (`connectionState`), as 2.3.6's WAMonitoringService.instanceInfo reads it.
 */
export function instanceRow(instance: SimInstance) {
  return {
    id: instance.id,
    name: instance.name,
    connectionStatus: instance.storedStatus,
    ownerJid: instance.ownerJid,
    profileName: instance.profileName,
    profilePicUrl: null,
    integration: "WHATSAPP-BAILEYS",
    number: null,
    businessId: null,
    token: instance.token,
    clientName: "evolution_exchange",
    disconnectionReasonCode: instance.reasonCode,
    disconnectionObject: instance.reasonCode === null ? null : JSON.stringify({ error: { output: { statusCode: instance.reasonCode } } }),
    disconnectionAt: instance.disconnectedAt,
    createdAt: instance.createdAt,
    updatedAt: instance.disconnectedAt ?? instance.createdAt,
    Chatwoot: null,
    Proxy: null,
    Rabbitmq: null,
    Sqs: null,
    Websocket: null,
    Setting: { rejectCall: false, groupsIgnore: true, alwaysOnline: false, readMessages: false, syncFullHistory: false },
    _count: { Message: 0, Contact: 0, Chat: 0 },
  };
}

export function summarize(instance: SimInstance): InstanceSummary {
  return {
    name: instance.name,
    token: instance.token,
    scenario: instance.scenario,
    state: instance.state,
    storedStatus: instance.storedStatus,
    reasonCode: instance.reasonCode,
    latencyMs: instance.latencyMs,
    downMode: instance.downMode,
    needsQr: instance.needsQr,
    qr: instance.qr ? { code: instance.qr.code, count: instance.qr.count } : null,
    webhook: instance.webhook ? { ...instance.webhook, headers: { ...instance.webhook.headers } } : null,
    calls: { ...instance.calls },
    deliveries: { ...instance.deliveries },
    sent: instance.sent.map((message) => ({ ...message })),
  };
}
