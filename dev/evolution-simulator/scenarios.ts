import { makeQr } from "./qr";
import type { Scenario, ScenarioOptions, SimInstance } from "./model";
import { clearTimers, emitEvents, schedule, storeStatus, transition, type SimContext } from "./instance-state";

/**
 * What each scenario does to an instance, and how the instance answers attempts to bring it back.
 * Codes follow Baileys' DisconnectReason: 428 connection closed, 401 logged out, 440 replaced,
 * 515 restart required (normal right after pairing).
 */

const SLOW_DEFAULT_MS = 3000;

function ensureOpen(ctx: SimContext, instance: SimInstance): void {
  if (instance.state !== "open") transition(ctx, instance, "open");
}

function scheduleFlap(ctx: SimContext, instance: SimInstance): void {
  schedule(instance, instance.flapIntervalMs, () => {
    if (instance.state === "open") transition(ctx, instance, "close", 428, { burst: true });
    else transition(ctx, instance, "open");
    scheduleFlap(ctx, instance);
  });
}

export function applyScenario(ctx: SimContext, instance: SimInstance, scenario: Scenario, options: ScenarioOptions = {}): void {
  clearTimers(instance);
  instance.scenario = scenario;
  instance.needsQr = false;
  instance.qr = null;
  instance.latencyMs = options.latencyMs ?? (scenario === "slow" ? SLOW_DEFAULT_MS : ctx.options.latencyMs);
  if (options.downMode) instance.downMode = options.downMode;
  if (options.recoverAfterMs !== undefined) instance.recoverAfterMs = options.recoverAfterMs;
  if (options.flapIntervalMs !== undefined) instance.flapIntervalMs = options.flapIntervalMs;

  switch (scenario) {
    case "healthy":
    case "slow":
      ensureOpen(ctx, instance);
      return;
    case "drops_and_recovers":
      transition(ctx, instance, "close", 428, { burst: true });
      schedule(instance, instance.recoverAfterMs, () => recover(ctx, instance));
      return;
    case "flapping":
      ensureOpen(ctx, instance);
      scheduleFlap(ctx, instance);
      return;
    case "logged_out":
      instance.needsQr = true;
      transition(ctx, instance, "close", 401);
      return;
    case "never_paired":
      // Created and never scanned (2.3.6): close with no reason code and no owner in fetchInstances.
      // connect/restart only start a pairing nobody asked for.
      instance.needsQr = true;
      instance.ownerJid = null;
      instance.profileName = null;
      // WAMonitoringService.saveInstance stores a new Baileys instance as close.
      instance.storedStatus = "close";
      instance.state = "close";
      instance.reasonCode = null;
      instance.disconnectedAt = null;
      return;
    case "replaced":
      transition(ctx, instance, "close", 440, { burst: true });
      return;
    case "stuck_connecting":
      transition(ctx, instance, "connecting");
      return;
    case "gateway_down":
    case "wrong_api_key":
    case "malformed_json":
      // The session itself is untouched; only the API in front of it misbehaves (see gateway-routes).
      return;
  }
}

function recover(ctx: SimContext, instance: SimInstance): void {
  if (instance.state === "open") return;
  transition(ctx, instance, "connecting");
  transition(ctx, instance, "open");
}

/** Where a reconnect attempt ends, given what is wrong with the instance. */
function settleReconnect(ctx: SimContext, instance: SimInstance): void {
  if (instance.needsQr || instance.state !== "connecting") return;
  if (instance.scenario === "replaced") transition(ctx, instance, "close", 440, { burst: true });
  else if (instance.scenario !== "stuck_connecting") transition(ctx, instance, "open");
}

/**
 * The gateway starts connecting: with stored credentials the attempt settles within the connect
 * latency; without (logged out) it shows a QR and waits for the phone.
 */
export async function startConnecting(ctx: SimContext, instance: SimInstance): Promise<void> {
  if (instance.needsQr) {
    await issueQr(ctx, instance, 1);
    return;
  }
  transition(ctx, instance, "connecting");
  schedule(instance, Math.round(ctx.options.connectLatencyMs * 0.6), () => settleReconnect(ctx, instance));
}

async function issueQr(ctx: SimContext, instance: SimInstance, count: number): Promise<void> {
  const qr = await makeQr(ctx.random, count);
  if (!instance.needsQr) return; // paired or switched scenario meanwhile
  instance.qr = qr;
  storeStatus(ctx, instance, "connecting");
  const qrEvent = {
    event: "qrcode.updated",
    data: { qrcode: { instance: instance.name, pairingCode: null, code: qr.code, base64: qr.base64 } },
  };
  if (instance.state === "connecting") void emitEvents(ctx, instance, [qrEvent]);
  else transition(ctx, instance, "connecting", null, { extra: [qrEvent] });
  schedule(instance, ctx.options.qrRefreshMs, () => void rotateQr(ctx, instance));
}

async function rotateQr(ctx: SimContext, instance: SimInstance): Promise<void> {
  if (!instance.qr) return;
  const count = instance.qr.count + 1;
  if (count <= ctx.options.qrLimit) {
    await issueQr(ctx, instance, count);
    return;
  }
  instance.qr = null;
  transition(ctx, instance, "refused", 428, {
    extra: [{ event: "qrcode.updated", data: { message: "QR code limit reached, please login again", statusCode: 500 } }],
  });
}

/** The phone scanned the QR: the gateway restarts the socket once (515) and comes up open. */
export function completePairing(ctx: SimContext, instance: SimInstance): boolean {
  if (!instance.needsQr || !instance.qr) return false;
  clearTimers(instance);
  instance.needsQr = false;
  instance.qr = null;
  instance.scenario = "healthy";
  instance.ownerJid = instance.phoneJid;
  instance.profileName ??= `Sim ${instance.name}`;
  transition(ctx, instance, "close", 515);
  transition(ctx, instance, "connecting");
  transition(ctx, instance, "open");
  return true;
}

export function logOut(ctx: SimContext, instance: SimInstance): void {
  clearTimers(instance);
  instance.scenario = "logged_out";
  instance.needsQr = true;
  instance.qr = null;
  transition(ctx, instance, "close", 401, { extra: [{ event: "logout.instance", data: null }] });
}

/**
 * The gateway process restarted. Evolution 2.3.6 reconnects every instance it has stored on boot,
 * logged-out and never-paired ones included: those read `connecting` and emit QR codes (not `close`
 * 401) until the QR limit; the others reconnect with their stored credentials and come back open.
 */
export async function rebootGateway(ctx: SimContext, instance: SimInstance): Promise<void> {
  if (instance.scenario === "gateway_down" || instance.scenario === "wrong_api_key" || instance.scenario === "malformed_json") return;
  if (instance.state === "open" && !instance.needsQr && instance.scenario !== "flapping") {
    transition(ctx, instance, "connecting");
    transition(ctx, instance, "open");
    return;
  }
  if (instance.needsQr) {
    clearTimers(instance);
    instance.qr = null;
    await issueQr(ctx, instance, 1);
    return;
  }
  if (instance.state !== "open") await startConnecting(ctx, instance);
}
