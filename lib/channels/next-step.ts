import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import type { ChannelState } from "@/lib/monitor/states";

/**
 * What a person should do next about one channel, decided from its state alone (data in, verdict out):
 * which control is the main one, which are not offered at all, what to say beside the state, and, for
 * a viewer who cannot act, whom to ask. Pages only render it.
 *
 * What must stay true: a state that a restart cannot fix (needs_qr, replaced, misconfigured,
 * provider_down, blocked, restricted) never offers a forced reconnect, so nobody is led to press a
 * button that turns the badge amber for two minutes while a person still has to scan or fix a key;
 * and a viewer always gets a sentence that says whom to ask (or who runs the platform when the tenant
 * has no admin): never a dead end.
 */

/** Cloud API states (DESIGN.md) the monitor may not produce yet; handled here so the UI is ready. */
export type StepState = ChannelState | "blocked" | "restricted";

export type MainAction = "pair" | "fixConfig" | "reconnect" | "none";

export interface GatewayFacts {
  name: string | null;
  /** Who runs it (gateways.operator): a person, a team, a vendor. */
  operator: string | null;
  /** Channels of this tenant on the same gateway (this one included). */
  tenantChannels: number;
  /** Of those, how many the monitor finds with the gateway not answering (provider_down) now. */
  tenantChannelsDown: number;
  /** gateways.owner_tenant_id is null: platform staff run it (the Sentinela team). */
  platformRun: boolean;
}

export interface NextStepInput {
  state: StepState;
  reason: string | null;
  monitoringEnabled: boolean;
  /** channel_status.next_reconnect_at: the automatic repair's next attempt. */
  nextReconnectAt: Date | null;
  /** When the line left service (channel_status.down_since), else its state's `since`. */
  downSince: Date | null;
  /** channel_status.since: when the current state began (a `connecting` line is restarted 3 min after). */
  stateSince: Date | null;
  gateway: GatewayFacts | null;
  canManage: boolean;
  /** Display names of the tenant's admins. */
  admins: readonly string[];
  now: Date;
}

/** A message under `nextStep` in messages/*.json, with the values it needs. */
export interface StepMessage {
  key: string;
  values: Record<string, string | number | Date>;
}

export interface NextStep {
  /** The control shown as the main button (admins only; viewers get `ask`). */
  main: MainAction;
  offerReconnect: boolean;
  offerQr: boolean;
  /** What is wrong and what happens next, for everyone; null when the state says it all. */
  explain: StepMessage | null;
  /** Viewers only: whom to ask, and for what. `admins` is empty when the tenant has none. */
  ask: { key: string; admins: readonly string[] } | null;
}

type Misconfig = "apiKeyRejected" | "instanceNotFound" | "noKey" | "addressRefused" | "other";

/** Reads the monitor's stored reason (lib/monitor/classify-state.ts, check-channel.ts). */
export function misconfigKind(reason: string | null): Misconfig {
  const text = reason?.trim() ?? "";
  if (text === "gateway rejected the API key") return "apiKeyRejected";
  if (text === "instance not found on the gateway") return "instanceNotFound";
  if (text.startsWith("no API key for this gateway") || text === "stored API key cannot be decrypted") return "noKey";
  if (text.startsWith("gateway address not allowed") || text === "gateway answered a redirect") return "addressRefused";
  return "other";
}

const NEVER_PAIRED = "never paired: scan the QR code";

function explainFor(input: NextStepInput): StepMessage | null {
  const { state, reason, now } = input;
  switch (state) {
    case "needs_qr":
      return { key: reason?.trim() === NEVER_PAIRED ? "neverPaired" : "needsQr", values: {} };
    case "replaced":
      return { key: "replaced", values: {} };
    case "misconfigured":
      return { key: `misconfigured.${misconfigKind(reason)}`, values: {} };
    case "provider_down": {
      // Counts are what the monitor sees now: "9 lines use it; only this one is down" must not read as
      // "9 lines are down". Who runs it: the gateway's operator, else the platform team for a shared
      // gateway, else the tenant itself (its own gateway with nobody on record).
      const gateway = input.gateway;
      const operator = gateway?.operator?.trim();
      const runBy = !gateway ? "unknown" : operator ? "operator" : gateway.platformRun ? "platform" : "tenant";
      const count = Math.max(1, gateway?.tenantChannels ?? 1);
      return {
        key: "providerDown",
        values: {
          gateway: gateway?.name?.trim() || "—",
          count,
          down: Math.min(count, Math.max(1, gateway?.tenantChannelsDown ?? 1)),
          since: input.downSince ?? now,
          runBy,
          operator: operator ?? "",
        },
      };
    }
    case "blocked":
    case "restricted":
      // The provider's words end a sentence of ours ("…: {reason}. Resolva…"): without their own full stop.
      return { key: state, values: { reason: reason?.trim().replace(/[.\s]+$/, "") || "—" } };
    case "disconnected":
    case "connecting": {
      if (!input.monitoringEnabled) return null;
      const next = nextAutomaticAttempt(input);
      if (next && next.getTime() > now.getTime()) return { key: "autoRepairAt", values: { at: next } };
      return { key: "autoRepairSoon", values: {} };
    }
    default:
      return null;
  }
}

/**
 * When the monitor will next restart the line by itself (lib/monitor/reconnect-policy.ts): the backoff's
 * next_reconnect_at, and for a `connecting` line not before it has been connecting for the policy's
 * threshold (connecting is normal for a while).
 */
function nextAutomaticAttempt(input: NextStepInput): Date | null {
  const times = [input.nextReconnectAt?.getTime() ?? null];
  if (input.state === "connecting" && input.stateSince) {
    times.push(input.stateSince.getTime() + DEFAULT_RECONNECT_POLICY.connectingRestartAfterMs);
  }
  const known = times.filter((time): time is number => time !== null);
  return known.length > 0 ? new Date(Math.max(...known)) : null;
}

const ASK: Partial<Record<StepState, string>> = {
  needs_qr: "askPair",
  replaced: "askPair",
  misconfigured: "askFix",
  provider_down: "askGateway",
  blocked: "askProvider",
  restricted: "askProvider",
  disconnected: "askIfPersists",
  connecting: "askIfPersists",
};

const MAIN: Record<StepState, MainAction> = {
  needs_qr: "pair",
  replaced: "pair",
  misconfigured: "fixConfig",
  provider_down: "none",
  blocked: "none",
  restricted: "none",
  disconnected: "reconnect",
  connecting: "reconnect",
  connected: "none",
  paused: "none",
  unknown: "none",
};

/** A restart can help only here (connected/unknown keep it as a secondary control). */
const RECONNECTABLE: ReadonlySet<StepState> = new Set(["disconnected", "connecting", "connected", "unknown"]);

export function decideNextStep(input: NextStepInput): NextStep {
  const { state, canManage, monitoringEnabled } = input;
  const main = MAIN[state];
  const askKey = ASK[state];
  return {
    main: canManage ? main : "none",
    offerReconnect: canManage && monitoringEnabled && RECONNECTABLE.has(state),
    offerQr: canManage && main === "pair",
    explain: explainFor(input),
    ask: !canManage && askKey ? { key: input.admins.length > 0 ? askKey : `${askKey}NoAdmin`, admins: input.admins } : null,
  };
}

/**
 * How an admin is named to a viewer: the name the sign-in provider holds, else the e-mail's name part
 * made readable ("bruno.lima@x" → "Bruno Lima"), else the whole e-mail.
 */
export function adminDisplayName(admin: { name: string | null; email: string | null }): string {
  const name = admin.name?.trim();
  if (name) return name;
  const email = admin.email?.trim() ?? "";
  const local = email.split("@")[0] ?? "";
  const words = local.split(/[._+-]+/).filter((word) => /^\p{L}/u.test(word));
  if (words.length === 0) return email || "?";
  return words.map((word) => word[0].toUpperCase() + word.slice(1)).join(" ");
}
