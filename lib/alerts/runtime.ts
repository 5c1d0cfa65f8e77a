import { deliverAlerts, type AlertDeliverySummary } from "@/lib/alerts/deliver-outbox";
import { createAlertSenders } from "@/lib/alerts/senders";
import { loadAlertSenderChannel } from "@/lib/db/alert-sender";
import { getSql, type Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/api-error";
import { channelSecretKey } from "@/lib/local-secrets";
import { configuredOutboundPolicy } from "@/lib/net/configured-outbound";
import { createProviders } from "@/lib/providers/registry";

/**
 * Wires alert delivery to this deployment: the database, SMTP_URL/ALERT_FROM, the outbound policy for
 * admins' webhook URLs, the gateways (WhatsApp alerts) and the real clock. The monitor pass, the cron
 * route, the CLI and the settings page's test button call this; tests call deliverAlerts directly.
 */

/** Links in alerts need the public URL; without APP_URL they point at this server's own port. */
export function alertAppUrl(): string {
  const config = env();
  return config.APP_URL ?? `http://127.0.0.1:${config.PORT}`;
}

export function configuredAlertDeps(db: Db) {
  const config = env();
  const secretKey = channelSecretKey();
  return {
    db,
    secretKey,
    clock: () => new Date(),
    senders: createAlertSenders({
      appUrl: alertAppUrl(),
      clock: () => new Date(),
      timeoutMs: config.GATEWAY_TIMEOUT_MS,
      smtp: config.SMTP_URL && config.ALERT_FROM ? { url: config.SMTP_URL, from: config.ALERT_FROM } : null,
      outbound: configuredOutboundPolicy(),
      providers: createProviders({ timeoutMs: config.GATEWAY_TIMEOUT_MS }),
      senderChannel: (tenantId) => loadAlertSenderChannel(db, tenantId, secretKey),
    }),
  };
}

/** One delivery run: bounded, never throws (a failure is in the summary's `error`). */
export async function deliverConfiguredAlerts(options: { budgetMs: number; limit?: number; ids?: string[] }): Promise<AlertDeliverySummary> {
  try {
    const sql = await getSql();
    return await deliverAlerts(configuredAlertDeps(sql), { limit: options.limit ?? 500, budgetMs: options.budgetMs, ids: options.ids });
  } catch (error) {
    return { sent: 0, retrying: 0, failed: 0, deferred: 0, error: error instanceof Error ? error.message : String(error) };
  }
}

/** After a monitor pass: what its incident step queued goes out now, within what is left of the budget. */
export async function deliverAlertsAfterPass(budgetMs: number): Promise<void> {
  const done = await deliverConfiguredAlerts({ budgetMs, limit: 200 });
  if (done.error) console.error(`alerts: delivery stopped: ${done.error}`);
  if (done.sent + done.retrying + done.failed > 0) {
    console.log(`alerts: ${done.sent} sent, ${done.retrying} to retry, ${done.failed} failed, ${done.deferred} held for quiet hours`);
  }
}

/** POST /api/cron/alerts: the summary, or 503 when the run stopped on a database error. */
export async function runAlertsCron(budgetMs: number): Promise<object> {
  const done = await deliverConfiguredAlerts({ budgetMs });
  if (done.error) throw new ApiError(503, "alerts_unavailable", `alert delivery stopped: ${done.error}`);
  return { ok: true, ...done };
}
