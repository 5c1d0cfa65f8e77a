import { after } from "next/server";
import { getSql } from "@/lib/db/client";
import { createIncidentStore } from "@/lib/db/incidents-store";
import { env } from "@/lib/env";
import { evaluateChannelIncidents } from "@/lib/incidents/evaluate-incidents";
import { channelSecretKey } from "@/lib/local-secrets";
import { createProviders } from "@/lib/providers/registry";
import type { WebhookRequestDeps } from "@/lib/webhooks/webhook-request";

/**
 * Wires the receiver to this deployment: the database, the secret key, the gateways' event parsers,
 * the real clock, and after() for work that must not delay the answer.
 */
export async function configuredReceiverDeps(): Promise<WebhookRequestDeps> {
  const config = env();
  const sql = await getSql();
  return {
    db: sql,
    secretKey: channelSecretKey(),
    providers: createProviders({ timeoutMs: config.GATEWAY_TIMEOUT_MS }),
    clock: () => new Date(),
    defer: runAfterResponse,
    afterTransition: (channelId) => evaluateChannelIncidents({ store: createIncidentStore(sql) }, channelId, new Date()),
  };
}

/**
 * Inside a Next.js request, after() runs the task once the response is sent and keeps a serverless
 * function alive for it (up to the route's maxDuration, no longer). Outside one (a test or script
 * calling the route's handler directly) after() throws; the task then simply runs in the background.
 */
function runAfterResponse(task: () => Promise<void>): void {
  try {
    after(task);
  } catch {
    void task();
  }
}
