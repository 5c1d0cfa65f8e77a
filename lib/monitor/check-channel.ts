import { performance } from "node:perf_hooks";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { classifyFailure, classifyReport, type Observation } from "@/lib/monitor/classify-state";
import type { PassStateReads } from "@/lib/monitor/bulk-state-reads";
import { applyObservation } from "@/lib/monitor/flap-damping";
import { monitorErrorOutcome } from "@/lib/monitor/monitor-error-outcome";
import { reconnectChannel } from "@/lib/monitor/reconnect-channel";
import { decideReconnect, recordAttempt, resetAfterRecovery, type ReconnectPolicy } from "@/lib/monitor/reconnect-policy";
import { sanitizeOutcome } from "@/lib/monitor/sanitize-text";
import { silentSinceAt } from "@/lib/monitor/silence";
import { isQuiet, sampleDue } from "@/lib/monitor/quiet-check";
import { accountInterval } from "@/lib/monitor/uptime-rollup";
import type { AdoptionDeps } from "@/lib/monitor/adopt-webhook";
import { checkAppSubscription } from "@/lib/monitor/app-subscription";
import { checkWebhookDrift, type DriftCheck } from "@/lib/monitor/webhook-drift";
import type { ActionRecord, ChannelOutcome, ClaimedChannel } from "@/lib/monitor/types";
import type { ChannelTarget, Provider, ProviderKind } from "@/lib/providers/types";

export interface CheckDeps {
  providers: Record<ProviderKind, Provider>;
  clock: () => Date;
  random: () => number;
  secretKey: string;
  policy: ReconnectPolicy;
  /** APP_URL: where gateways must deliver webhooks. Absent: webhook drift is not checked (and the check says so). */
  webhookBaseUrl?: string;
  /** Where a platform's webhook is adopted (lib/monitor/adopt-webhook.ts). Absent: a foreign webhook is left alone. */
  webhookAdoption?: AdoptionDeps;
  /** One pass's reads: bulk listings per gateway, keys decrypted once (bulk-state-reads.ts). runMonitorPass makes them. */
  stateReads?: PassStateReads;
}

// Drift is read only from a gateway that just answered for this instance: when it is down or rejects
// our key, reading the webhook would fail the same way.
const GATEWAY_UNUSABLE = new Set(["provider_down", "misconfigured"]);

async function observe(provider: Provider, target: ChannelTarget | Observation): Promise<Observation> {
  if ("state" in target) return target;
  const started = performance.now();
  try {
    return classifyReport(await provider.getState(target));
  } catch (error) {
    return classifyFailure(error, Math.round(performance.now() - started));
  }
}

function targetOf(channel: ClaimedChannel, decrypt: (sealed: string) => string): ChannelTarget | Observation {
  if (channel.apiKeyCiphertext === null) {
    return { state: "misconfigured", reason: "no API key for this gateway: enter it again", errorCode: "secret" };
  }
  try {
    const apiKey = decrypt(channel.apiKeyCiphertext);
    const clientToken = channel.clientTokenCiphertext ? decrypt(channel.clientTokenCiphertext) : undefined;
    return {
      baseUrl: channel.gatewayUrl, instanceName: channel.instanceName, apiKey,
      ...(clientToken ? { clientToken } : {}), ...(channel.wabaId ? { wabaId: channel.wabaId } : {}),
    };
  } catch (error) {
    return { state: "misconfigured", reason: "stored API key cannot be decrypted", errorCode: "secret", detail: String(error) };
  }
}

/**
 * Checks one claimed channel, applies flap damping and the reconnect policy, and acts. Never throws: an
 * exception nobody foresaw becomes this channel's outcome (its state kept, a monitor error for platform
 * staff), so one channel can never stop a pass. What the gateway said is made storable here, and an
 * outcome that changes nothing is marked quiet (nothing to write but the claim).
 */
export async function checkChannel(channel: ClaimedChannel, deps: CheckDeps): Promise<ChannelOutcome> {
  try {
    const outcome = sanitizeOutcome(await checkOnce(channel, deps));
    outcome.quiet = isQuiet(channel.status, channel.webhook, outcome);
    return outcome;
  } catch (error) {
    return monitorErrorOutcome(channel, deps.clock, error);
  }
}

async function checkOnce(channel: ClaimedChannel, deps: CheckDeps): Promise<ChannelOutcome> {
  const provider = deps.providers[channel.provider];
  const stateReads = deps.stateReads;
  const target = targetOf(channel, stateReads?.decrypt ?? ((sealed) => decryptSecret(sealed, deps.secretKey)));
  const { observation, listedChecks } = stateReads && !("state" in target)
    ? await stateReads.read(channel, provider, () => observe(provider, target))
    : { observation: await observe(provider, target), listedChecks: 0 };
  const now = deps.clock();
  const before = channel.status;
  const damped = applyObservation(before, observation, now);

  let reconnect = damped.state === "connected" ? resetAfterRecovery(before, now) : {
    reconnectAttempt: before.reconnectAttempt,
    nextReconnectAt: before.nextReconnectAt,
    recentReconnects: before.recentReconnects,
  };
  const actions: ActionRecord[] = [];
  const decision = decideReconnect({ ...damped, ...reconnect, qrRequestedAt: before.qrRequestedAt }, now, deps.policy);
  if (decision.act && !("state" in target)) {
    const calls = await reconnectChannel(provider, target);
    reconnect = recordAttempt({ ...damped, ...reconnect, qrRequestedAt: before.qrRequestedAt }, now, deps.random, deps.policy);
    for (const call of calls) {
      actions.push({
        channelId: channel.channelId, tenantId: channel.tenantId, kind: call.kind, trigger: "monitor",
        actorUserId: null, requestedAt: now, outcome: call.outcome, detail: call.detail,
      });
    }
  }

  // At most three gateway calls per check (checkReserveMs counts on it): after a reconnect, the drift
  // check waits for the next pass (webhook_checked_at is left as it was, so it is still due).
  let drift: DriftCheck = { checkedAt: channel.webhook.checkedAt };
  if (!("state" in target) && actions.length === 0 && !GATEWAY_UNUSABLE.has(observation.state)) {
    // A gateway whose webhooks are an app's subscription to an account (Cloud API) has that checked instead.
    drift = provider.getSubscribedApps
      ? await checkAppSubscription({ provider, target, webhook: channel.webhook, now })
      : await checkWebhookDrift({
        provider, target, channelId: channel.channelId, webhook: channel.webhook, baseUrl: deps.webhookBaseUrl,
        secretKey: deps.secretKey, now, adoption: deps.webhookAdoption,
      });
  }
  const reconnected = actions.length > 0;
  if (drift.restore) {
    actions.push({
      channelId: channel.channelId, tenantId: channel.tenantId, kind: "webhook_restore", trigger: "monitor",
      actorUserId: null, requestedAt: now, outcome: drift.restore.outcome, detail: drift.restore.detail,
    });
  }

  const silenceThreshold = channel.webhook.silenceThresholdSeconds;
  const lastEventAt = channel.webhook.lastEventAt;
  const silentSince = silentSinceAt({ ...damped, lastEventAt, thresholdSeconds: silenceThreshold }, now);
  const failed = observation.errorCode !== undefined;
  // A failed check timed the failure (a refused connection in 1 ms, a timeout in 10 s), not how fast the
  // gateway answers: that time stays in the raw check, for admins, and is never the channel's latency
  // nor part of its latency chart.
  const measuredMs = observation.latencyMs ?? null;
  const latencyMs = failed ? null : measuredMs;

  const silenceBegan = silentSince !== null && channel.webhook.silentSince === null;
  // A note from reading the webhook is worth a row (that happens at most every 15 minutes); "APP_URL is
  // not set" would come every pass, so it only rides along on the checks kept anyway.
  const driftRead = drift.checkedAt !== channel.webhook.checkedAt && Boolean(drift.note);
  const noteworthy =
    Boolean(damped.transition) || observation.state !== before.state || actions.length > 0 || silenceBegan || driftRead;
  const record = noteworthy || sampleDue(before.lastCheckRecordedAt, now);
  // Time is accounted from the schedule (lib/db/monitor-store.ts); a recorded check adds its count and latency.
  const { hourly, daily } = record
    ? accountInterval({
      channelId: channel.channelId, tenantId: channel.tenantId, timezone: channel.timezone, state: before.state,
      from: null, to: now, maxGapMs: 0, check: { failed, latencyMs },
    })
    : { hourly: [], daily: [] };

  return {
    channelId: channel.channelId,
    status: {
      state: damped.state,
      reason: damped.reason,
      since: damped.since,
      lastCheckedAt: now,
      pendingState: damped.pendingState,
      pendingReason: damped.pendingReason,
      pendingSince: damped.pendingSince,
      ...reconnect,
      qrRequestedAt: before.qrRequestedAt,
      lastCheckRecordedAt: record ? now : before.lastCheckRecordedAt,
      accountedUntil: before.accountedUntil,
      listedChecks,
      latencyMs,
      nextCheckAt: new Date(now.getTime() + channel.checkIntervalSeconds * 1000),
    },
    transition: damped.transition && {
      channelId: channel.channelId,
      tenantId: channel.tenantId,
      fromState: damped.transition.from,
      toState: damped.transition.to,
      reason: damped.transition.reason,
      occurredAt: damped.transition.at,
    },
    check: record
      ? {
          channelId: channel.channelId,
          tenantId: channel.tenantId,
          checkedAt: now,
          state: observation.state,
          gatewayState: observation.gatewayState ?? null,
          reasonCode: observation.reasonCode ?? null,
          latencyMs: measuredMs,
          errorCode: observation.errorCode ?? null,
          detail: [
            observation.detail ?? observation.reason,
            silentSince && `connected, silent since ${silentSince.toISOString()}`,
            drift.note,
          ].filter(Boolean).join("; "),
        }
      : undefined,
    actions,
    hourly,
    daily,
    failed,
    reconnected,
    claimedSince: before.since,
    webhook: { checkedAt: drift.checkedAt, silentSince },
  };
}
