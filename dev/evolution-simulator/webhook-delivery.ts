import type { Random } from "./random";
import type { DeliveryOptions, DeliveryStats, StoredWebhook } from "./model";

/**
 * Delivers webhook events the way the gateway does on a bad day: some twice, some swapped with their
 * neighbour, retried with backoff, dropped after the last attempt and never retried on 400/401/403/404/422.
 * Deliveries for one instance go out one after another (so the planned order is the order received);
 * different instances deliver concurrently.
 */

export interface WebhookPayload {
  event: string;
  instance: string;
  data: unknown;
  destination: string;
  date_time: string;
  sender?: string;
  server_url: string;
  apikey: string;
}

export interface DeliveryResult {
  event: string;
  date_time: string;
  status?: number;
  error?: string;
  attempts: number;
}

const NOT_RETRIED = new Set([400, 401, 403, 404, 422]);

/**
 * Per-event URLs as Evolution 2.3.6 builds them (webhook.controller.ts): the event upper-snaked, then
 * kebab-cased (`messages.upsert` → `messages-upsert`), appended to the URL as stored by plain string
 * concatenation: no slash is trimmed, and after a query string the suffix lands in the query.
 */
export function eventUrlSuffix(event: string): string {
  return event.replace(/[.-]/g, "_").toUpperCase().replace(/_/g, "-").toLowerCase();
}
const MAX_BACKOFF_MS = 5000;

export class WebhookDelivery {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly abort = new AbortController();

  constructor(
    private random: Random,
    public options: DeliveryOptions,
  ) {}

  reseed(random: Random): void {
    this.random = random;
  }

  /** Copies and order for one batch. Deterministic for a given generator state. */
  plan<T>(payloads: readonly T[]): T[] {
    const planned: T[] = [];
    for (const payload of payloads) {
      planned.push(payload);
      if (this.random.chance(this.options.duplicateRate)) planned.push(payload);
    }
    for (let i = 0; i + 1 < planned.length; i += 1) {
      if (this.random.chance(this.options.reorderRate)) {
        [planned[i], planned[i + 1]] = [planned[i + 1], planned[i]];
        i += 1;
      }
    }
    return planned;
  }

  /** Queues a batch behind the instance's earlier deliveries; resolves when every copy was attempted. */
  deliver(webhook: StoredWebhook, stats: DeliveryStats, payloads: readonly WebhookPayload[]): Promise<DeliveryResult[]> {
    const planned = this.plan(payloads);
    const previous = this.chains.get(webhook.instanceId) ?? Promise.resolve();
    const run = previous.then(async () => {
      const results: DeliveryResult[] = [];
      for (const payload of planned) results.push(await this.send(webhook, stats, payload));
      return results;
    });
    this.chains.set(webhook.instanceId, run);
    this.inflight.add(run);
    void run.finally(() => {
      this.inflight.delete(run);
      if (this.chains.get(webhook.instanceId) === run) this.chains.delete(webhook.instanceId);
    });
    return run;
  }

  /** Resolves once nothing is queued or in flight (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  stop(): void {
    this.abort.abort();
    for (const wait of this.waits) {
      clearTimeout(wait.timer);
      wait.resolve();
    }
    this.waits.clear();
  }

  private async send(webhook: StoredWebhook, stats: DeliveryStats, payload: WebhookPayload): Promise<DeliveryResult> {
    const url = webhook.webhookByEvents ? `${webhook.url}/${eventUrlSuffix(payload.event)}` : webhook.url;
    const body = JSON.stringify(payload);
    const result: DeliveryResult = { event: payload.event, date_time: payload.date_time, attempts: 0 };
    while (result.attempts < this.options.maxAttempts && !this.abort.signal.aborted) {
      result.attempts += 1;
      stats.attempts += 1;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { ...webhook.headers, "content-type": "application/json" },
          body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        result.status = response.status;
        delete result.error;
        if (response.ok) {
          stats.delivered += 1;
          return result;
        }
        if (NOT_RETRIED.has(response.status)) break;
      } catch (error) {
        result.error = error instanceof Error ? error.message : String(error);
      }
      if (result.attempts < this.options.maxAttempts) await this.backoff(result.attempts);
    }
    stats.failed += 1;
    return result;
  }

  private backoff(attempt: number): Promise<void> {
    if (this.abort.signal.aborted) return Promise.resolve();
    const ms = Math.min(this.options.retryBaseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
    return new Promise((resolve) => {
      const wait = {
        timer: setTimeout(() => {
          this.waits.delete(wait);
          resolve();
        }, ms),
        resolve,
      };
      this.waits.add(wait);
    });
  }
}
