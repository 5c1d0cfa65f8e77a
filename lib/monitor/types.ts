import type { ChannelState } from "@/lib/monitor/states";
import type { ProviderKind } from "@/lib/providers/types";

/** The persisted status of a channel as a pass claims it: everything the policy needs, nothing in memory. */
export interface ChannelStatusRow {
  state: ChannelState;
  reason: string | null;
  since: Date;
  lastCheckedAt: Date | null;
  pendingState: ChannelState | null;
  pendingReason: string | null;
  pendingSince: Date | null;
  reconnectAttempt: number;
  nextReconnectAt: Date | null;
  recentReconnects: Date[];
  qrRequestedAt: Date | null;
  lastCheckRecordedAt: Date | null;
  accountedUntil: Date | null;
  /**
   * Checks since the last due live read, as claimed (channel_schedule.listed_checks: the claim counts them,
   * modulo LIVE_READ_EVERY, so a check answered by a listing writes nothing of its own); see
   * lib/monitor/bulk-state-reads.ts.
   */
  listedChecks?: number;
  /** Why the last check could not be recorded (channel_status.monitor_error); cleared by the next one recorded. */
  monitorError?: string | null;
}

export interface ClaimedChannel {
  channelId: string;
  tenantId: string;
  timezone: string;
  provider: ProviderKind;
  gatewayUrl: string;
  instanceName: string;
  /** Null: no key is bound to this gateway and instance (the channel moved; a person must enter it again). */
  apiKeyCiphertext: string | null;
  /** Its gateway (gateways.id) and that gateway's sealed global key, if it has one: bulk state reads. */
  gatewayId?: string;
  gatewayKeyCiphertext?: string | null;
  /** The other credentials its kind takes (lib/providers/traits.ts): Z-API's sealed Client-Token, the Cloud API's WABA id. */
  clientTokenCiphertext?: string | null;
  wabaId?: string | null;
  checkIntervalSeconds: number;
  status: ChannelStatusRow;
  webhook: ClaimedWebhook;
}

/** What webhook drift repair and "connected but silent" need, read with the claim. */
export interface ClaimedWebhook {
  /** Sealed with the channel secret key; null for a channel that was never given one. */
  secretCiphertext: string | null;
  /** The configuration the gateway should keep (channels.webhook_events / webhook_enabled). */
  events: string[];
  enabled: boolean;
  /** When the monitor last read the gateway's webhook (drift is checked at most every 15 minutes). */
  checkedAt: Date | null;
  /** When the receiver last accepted any event for this channel (our clock). */
  lastEventAt: Date | null;
  silentSince: Date | null;
  /** Null: silence is not watched for this channel. */
  silenceThresholdSeconds: number | null;
  /** adopt (keep a foreign webhook as the downstream), manage (ours only) or off (never read nor touch it). */
  mode: "adopt" | "manage" | "off";
  /** The channel's downstream as the monitor needs it, no secrets (origin and path only); null: none. */
  downstream: { display: string; events: string[]; base64: boolean } | null;
}

export interface TransitionRecord {
  channelId: string;
  tenantId: string;
  fromState: ChannelState;
  toState: ChannelState;
  reason: string;
  occurredAt: Date;
}

export interface CheckRecord {
  channelId: string;
  tenantId: string;
  checkedAt: Date;
  state: ChannelState;
  gatewayState: string | null;
  reasonCode: number | null;
  latencyMs: number | null;
  errorCode: string | null;
  detail: string | null;
}

export type ActionKind = "reconnect" | "restart" | "connect" | "qr_request" | "webhook_restore" | "pause" | "resume";

export interface ActionRecord {
  channelId: string;
  tenantId: string;
  kind: ActionKind;
  trigger: "monitor" | "manual";
  actorUserId: string | null;
  requestedAt: Date;
  outcome: "ok" | "failed" | "skipped";
  detail: string | null;
}

/** Seconds to add to one uptime bucket (an hour in UTC, or a day in the tenant's timezone). */
export interface RollupIncrement {
  channelId: string;
  tenantId: string;
  bucket: string;
  upSeconds: number;
  degradedSeconds: number;
  downSeconds: number;
  checks: number;
  failedChecks: number;
  latencySumMs: number;
  latencyCount: number;
  latencyMaxMs: number;
}

/** What one channel's check produced: the new status row plus the rows to append. */
export interface ChannelOutcome {
  channelId: string;
  status: ChannelStatusRow & { latencyMs: number | null; nextCheckAt: Date };
  transition?: TransitionRecord;
  check?: CheckRecord;
  actions: ActionRecord[];
  /** Check counts and latency of a recorded check (seconds are accounted by the store, from the schedule). */
  hourly: RollupIncrement[];
  daily: RollupIncrement[];
  failed: boolean;
  reconnected: boolean;
  /**
   * `since` as claimed. The write applies only if the state and its `since` are unchanged: a webhook or a
   * person that moved the state meanwhile (even away and back) has the last word until the next check.
   */
  claimedSince: Date;
  /**
   * Nothing to write: no transition, action or raw check, and the status row as claimed
   * (lib/monitor/quiet-check.ts). The claim that preceded the check is all it leaves behind.
   */
  quiet?: boolean;
  webhook: { checkedAt: Date | null; silentSince: Date | null };
  /** Set when the check failed in a way nobody foresaw: stored as channel_status.monitor_error, not as a state. */
  monitorError?: string | null;
}

export interface PassSummary {
  ok: true;
  runId: string;
  checked: number;
  transitions: number;
  reconnects: number;
  failed: number;
  durationMs: number;
  remaining: number;
}

export type PassTrigger = "cron" | "cli" | "runner" | "manual";

/** Everything a pass needs from the database, so tests can count and break it. */
export interface MonitorStore {
  /** Records the run with its first heartbeat. */
  startRun(trigger: PassTrigger, now: Date): Promise<string>;
  /** One small statement: the run is alive (see lib/monitor/run-liveness.ts). */
  heartbeat(runId: string, now: Date): Promise<void>;
  /** Finishes runs that stopped beating without finishing (killed), with error "abandoned: …"; returns how many. */
  closeAbandonedRuns(now: Date): Promise<number>;
  /**
   * Materializes the uptime of every channel up to the last full hour (once per hour: the first pass
   * after the hour closes finds something to do); returns how many channels moved.
   */
  materializeHours?(now: Date): Promise<number>;
  /**
   * Leases a channel until its next check is due (see lib/monitor/run-liveness.ts) and moves its schedule
   * on: the one write a check that changes nothing makes.
   */
  claimChannels(input: {
    runId: string;
    now: Date;
    passStartedAt: Date;
    limit: number;
    all: boolean;
    /** Only these channels (a person's forced reconnect checks just the one). */
    channelIds?: string[];
  }): Promise<ClaimedChannel[]>;
  /**
   * Writes the outcomes that changed something (a quiet one leaves only its claim), and gives back the
   * channels of `claimed` that were not checked: their schedule as it was before the claim, no lease.
   * A batch the database refuses for its data is written again one channel at a time; a channel whose own
   * write is refused keeps its state, gets a monitor error, its next check and a free lease. Returns those.
   * Throws only when the database itself fails (connection lost, shut down). `quiet`: channels of
   * `claimed` checked with a quiet outcome that is not passed (nothing to write: their claim stands).
   */
  writeOutcomes(runId: string, outcomes: ChannelOutcome[], claimed: string[], quiet?: string[]): Promise<{ refused: string[] }>;
  /** Gives back what the run claimed and never wrote (a failing pass, on its way out). */
  releaseLeases(runId: string): Promise<void>;
  countDue(now: Date, passStartedAt: Date, all: boolean, channelIds?: string[]): Promise<number>;
  finishRun(runId: string, summary: Omit<PassSummary, "ok" | "runId">, finishedAt: Date, error?: string): Promise<void>;
}
