import { decryptSecret } from "@/lib/crypto/secret-box";
import type { Sql } from "@/lib/db/client";
import { WEBHOOK_SECRET_HEADER } from "@/lib/monitor/webhook-drift";
import { createProviders } from "@/lib/providers/registry";
import { handleWebhookRequest, type WebhookRequestDeps } from "@/lib/webhooks/webhook-request";

/** Evolution v2 deliveries as the gateway sends them, and a way to post them to the receiver in-process. */

export function evolutionEvent(event: string, instance: string, data: unknown, at: Date) {
  return {
    event, instance, data, destination: "http://receiver.test", date_time: at.toISOString(),
    sender: "5512999999999@s.whatsapp.net", server_url: "http://gateway.test", apikey: "INSTANCE-TOKEN",
  };
}

export function connectionEvent(instance: string, state: string, at: Date, statusReason?: number) {
  return evolutionEvent("connection.update", instance, { instance, state, ...(statusReason ? { statusReason } : {}) }, at);
}

export async function webhookSecretOf(sql: Sql, secretKey: string, channelId: string): Promise<string> {
  const [row] = await sql<{ sealed: string }[]>`
    select webhook_secret_ciphertext as sealed from public.channel_secrets where channel_id = ${channelId}
  `;
  return decryptSecret(row.sealed, secretKey);
}

export interface InProcessReceiver {
  deps: WebhookRequestDeps;
  /** Tasks handed to `defer` (downstream forwards), to await in tests. */
  deferred: Promise<void>[];
  post(channelId: string, body: unknown, options?: { secret?: string | null; raw?: boolean }): Promise<Response>;
}

export function inProcessReceiver(sql: Sql, secretKey: string, overrides: Partial<WebhookRequestDeps> = {}): InProcessReceiver {
  const deferred: Promise<void>[] = [];
  const deps: WebhookRequestDeps = {
    db: sql,
    secretKey,
    providers: createProviders({ timeoutMs: 1000 }),
    clock: () => new Date(),
    defer: (task) => void deferred.push(task()),
    ...overrides,
  };
  return {
    deps,
    deferred,
    post(channelId, body, options = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (options.secret) headers[WEBHOOK_SECRET_HEADER] = options.secret;
      const request = new Request(`http://receiver.test/api/webhooks/evolution/${channelId}`, {
        method: "POST",
        headers,
        body: options.raw ? (body as string) : JSON.stringify(body),
      });
      return handleWebhookRequest(request, { provider: "evolution", channelId }, async () => deps);
    },
  };
}
