import { createRandom, type Random } from "./random";
import {
  GATEWAY_WEBHOOK_EVENTS,
  resolveOptions,
  type DeliveryOptions,
  type InstanceSpec,
  type InstanceSummary,
  type ResolvedOptions,
  type Scenario,
  type ScenarioOptions,
  type SimInstance,
  type SimState,
  type SimulatorOptions,
  type StoredWebhook,
  type WebhookInput,
} from "./model";
import {
  connectionUpdate,
  createInstance,
  dropInstance,
  emitEvents,
  summarize,
  type SimContext,
  type SimEvent,
} from "./instance-state";
import { applyScenario, completePairing, rebootGateway } from "./scenarios";
import { WebhookDelivery, type DeliveryResult } from "./webhook-delivery";

/** The simulator's instances and the operations on them, shared by the HTTP control API and the programmatic one. */

export class SimulatorError extends Error {
  constructor(
    readonly code: "not_found" | "conflict",
    message: string,
  ) {
    super(message);
    this.name = "SimulatorError";
  }
}

export interface EmitRequest {
  /** Default `connection.update` with the instance's current state and reason. */
  event?: string;
  state?: SimState;
  statusReason?: number | null;
  /** For other events: the `data` to send as is. */
  data?: unknown;
}

export interface RuntimeConfig {
  connectLatencyMs?: number;
  latencyMs?: number;
  statusStoreDelayMs?: number;
  seed?: number;
  webhook?: Partial<DeliveryOptions>;
}

export class SimulatorCore implements SimContext {
  readonly options: ResolvedOptions;
  readonly delivery: WebhookDelivery;
  serverUrl = "";
  private currentRandom: Random;
  private readonly instances = new Map<string, SimInstance>();
  private readonly byToken = new Map<string, SimInstance>();

  constructor(options: SimulatorOptions) {
    this.options = resolveOptions(options);
    this.currentRandom = createRandom(this.options.seed);
    this.delivery = new WebhookDelivery(this.currentRandom, this.options.webhook);
  }

  get random(): Random {
    return this.currentRandom;
  }

  get size(): number {
    return this.instances.size;
  }

  find(name: string): SimInstance | undefined {
    return this.instances.get(name);
  }

  findByToken(token: string): SimInstance | undefined {
    return this.byToken.get(token);
  }

  all(): IterableIterator<SimInstance> {
    return this.instances.values();
  }

  private require(name: string): SimInstance {
    const instance = this.instances.get(name);
    if (!instance) throw new SimulatorError("not_found", `no instance named "${name}"`);
    return instance;
  }

  /** Creates the instance, or updates the fields given for an existing one. */
  upsertInstance(spec: InstanceSpec): InstanceSummary {
    let instance = this.instances.get(spec.name);
    const created = !instance;
    if (!instance) {
      instance = createInstance(this, spec);
      this.instances.set(instance.name, instance);
    } else if (spec.token !== undefined && spec.token !== instance.token) {
      this.byToken.delete(instance.token);
      instance.token = spec.token;
    }
    this.byToken.set(instance.token, instance);
    if (created || spec.scenario !== undefined) {
      applyScenario(this, instance, spec.scenario ?? "healthy", spec);
    } else if (spec.latencyMs !== undefined) {
      instance.latencyMs = spec.latencyMs;
    }
    if (spec.state !== undefined) {
      instance.state = spec.state;
      instance.reasonCode = spec.state === "close" || spec.state === "refused" ? (spec.reasonCode ?? null) : instance.reasonCode;
    }
    if (spec.storedStatus !== undefined) instance.storedStatus = spec.storedStatus;
    if (spec.webhook) this.storeWebhook(instance, spec.webhook);
    return summarize(instance);
  }

  removeInstance(name: string): boolean {
    const instance = this.instances.get(name);
    if (!instance) return false;
    dropInstance(instance);
    this.instances.delete(name);
    this.byToken.delete(instance.token);
    return true;
  }

  setScenario(name: string, scenario: Scenario, options: ScenarioOptions = {}): InstanceSummary {
    const instance = this.require(name);
    applyScenario(this, instance, scenario, options);
    return summarize(instance);
  }

  pair(name: string): InstanceSummary {
    const instance = this.require(name);
    if (!completePairing(this, instance)) {
      throw new SimulatorError("conflict", `"${name}" has no QR code waiting to be scanned (call connect first)`);
    }
    return summarize(instance);
  }

  /**
   * Delivers events now, through the instance's webhook config; does not change the instance. An array
   * goes out as one batch, like a reconnect burst: duplicated and reordered within it per the options.
   */
  emit(name: string, request: EmitRequest | EmitRequest[] = {}): Promise<DeliveryResult[]> {
    const instance = this.require(name);
    const requests = Array.isArray(request) ? request : [request];
    return emitEvents(this, instance, requests.map((one) => this.simEventOf(instance, one)));
  }

  private simEventOf(instance: SimInstance, request: EmitRequest): SimEvent {
    const event = request.event ?? "connection.update";
    if (event !== "connection.update") return { event, data: request.data ?? { instance: instance.name } };
    const reason = request.statusReason === undefined ? instance.reasonCode : request.statusReason;
    return connectionUpdate(instance, request.state ?? instance.state, reason);
  }

  /** Stores a webhook like the gateway: disabled keeps no events; enabled with none means all of them. */
  storeWebhook(instance: SimInstance, input: WebhookInput): StoredWebhook {
    const now = new Date().toISOString();
    const subscribed = input.events && input.events.length > 0 ? input.events : GATEWAY_WEBHOOK_EVENTS;
    const events = input.enabled ? [...subscribed] : [];
    instance.webhook = {
      id: instance.webhook?.id ?? `wh_${instance.id}`,
      url: input.url,
      headers: { ...(input.headers ?? {}) },
      enabled: input.enabled,
      events,
      webhookByEvents: input.byEvents ?? false,
      webhookBase64: input.base64 ?? false,
      createdAt: instance.webhook?.createdAt ?? now,
      updatedAt: now,
      instanceId: instance.id,
    };
    return instance.webhook;
  }

  /** The gateway process restarts: every stored instance reconnects (see rebootGateway). */
  async restartGateway(): Promise<void> {
    await Promise.all([...this.instances.values()].map((instance) => rebootGateway(this, instance)));
  }

  stats(name: string): InstanceSummary {
    return summarize(this.require(name));
  }

  list(): InstanceSummary[] {
    return [...this.instances.values()].map(summarize);
  }

  configure(config: RuntimeConfig): void {
    if (config.connectLatencyMs !== undefined) this.options.connectLatencyMs = config.connectLatencyMs;
    if (config.latencyMs !== undefined) this.options.latencyMs = config.latencyMs;
    if (config.statusStoreDelayMs !== undefined) this.options.statusStoreDelayMs = config.statusStoreDelayMs;
    if (config.webhook) Object.assign(this.options.webhook, config.webhook);
    if (config.seed !== undefined) {
      this.options.seed = config.seed;
      this.currentRandom = createRandom(config.seed);
      this.delivery.reseed(this.currentRandom);
    }
  }

  /** Forgets every instance (and its timers); options stay. */
  reset(): void {
    for (const instance of this.instances.values()) dropInstance(instance);
    this.instances.clear();
    this.byToken.clear();
  }

  idle(): Promise<void> {
    return this.delivery.idle();
  }

  stop(): void {
    this.reset();
    this.delivery.stop();
  }
}
