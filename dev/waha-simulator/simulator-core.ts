import { randomBytes, randomUUID } from "node:crypto";
import {
  summary,
  type DownMode,
  type Scenario,
  type ScenarioOptions,
  type SessionConfig,
  type SessionSpec,
  type SessionStatus,
  type SessionSummary,
  type SimSession,
  type WahaSimulatorOptions,
  type WebhookEntry,
} from "./model";

/**
 * Sessions, their status machine and their webhooks. What WAHA does and the simulator reproduces:
 * - a start (or restart) goes STARTING, then WORKING with stored credentials, else SCAN_QR_CODE;
 * - every status change is a `session.status` event to each of the session's webhooks that subscribes
 *   to it (or to `*`), with the webhook's custom headers; one POST per entry, retried per its `retries`;
 * - updating a session's config (PUT) stops it and starts it again when it was running;
 * - a server restart: WAHA Core keeps credentials but not the config, and starts no session (all
 *   STOPPED, webhooks gone); Plus starts them again with their config.
 */

const SLOW_DEFAULT_MS = 3000;

export class WahaSimulatorCore {
  readonly options: Required<Omit<WahaSimulatorOptions, "port" | "host">>;
  private readonly sessions = new Map<string, SimSession>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(options: WahaSimulatorOptions) {
    if (!options.apiKey) throw new Error("startWahaSimulator: apiKey is required");
    this.options = {
      apiKey: options.apiKey,
      startLatencyMs: options.startLatencyMs ?? 300,
      qrWaitMs: options.qrWaitMs ?? 500,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? 5000,
    };
  }

  find(name: string): SimSession | undefined {
    return this.sessions.get(name);
  }

  all(): SimSession[] {
    return [...this.sessions.values()];
  }

  upsert(spec: SessionSpec): SessionSummary {
    let session = this.sessions.get(spec.name);
    if (!session) {
      const digits = String(5511_90000_0000 + (hash(spec.name) % 1_0000_0000));
      session = {
        name: spec.name, scenario: "healthy", status: "STOPPED", downMode: "502", latencyMs: 0, config: {},
        authorized: true, me: { id: spec.meId ?? `${digits}@c.us`, pushName: spec.pushName ?? `Sim ${spec.name}` },
        qr: null, engine: spec.engine ?? "NOWEB", sent: [], calls: {}, deliveries: { delivered: 0, failed: 0, attempts: 0 }, timers: new Set(), lastEventMs: 0,
      };
      this.sessions.set(spec.name, session);
    }
    if (spec.config) session.config = structuredClone(spec.config);
    if (spec.meId) session.me.id = spec.meId;
    if (spec.engine) session.engine = spec.engine;
    this.applyScenario(session, spec.scenario ?? session.scenario, spec);
    return summary(session);
  }

  remove(name: string): boolean {
    const session = this.sessions.get(name);
    if (session) clearTimers(session);
    return this.sessions.delete(name);
  }

  stats(name: string): SessionSummary {
    return summary(this.mustFind(name));
  }

  list(): SessionSummary[] {
    return this.all().map(summary);
  }

  setScenario(name: string, scenario: Scenario, options: ScenarioOptions = {}): SessionSummary {
    const session = this.mustFind(name);
    this.applyScenario(session, scenario, options);
    return summary(session);
  }

  /** The phone scans the QR code: WORKING. Throws when no QR code is showing. */
  pair(name: string): SessionSummary {
    const session = this.mustFind(name);
    if (session.status !== "SCAN_QR_CODE") throw new Error(`session "${name}" shows no QR code (${session.status})`);
    clearTimers(session);
    session.authorized = true;
    session.qr = null;
    session.scenario = "healthy";
    this.setStatus(session, "WORKING");
    return summary(session);
  }

  /** The phone unlinks the device: the session fails, and only a new QR scan brings it back. */
  logOutFromPhone(name: string): SessionSummary {
    const session = this.mustFind(name);
    this.applyScenario(session, "logged_out");
    return summary(session);
  }

  private applyScenario(session: SimSession, scenario: Scenario, options: ScenarioOptions = {}): void {
    clearTimers(session);
    session.scenario = scenario;
    session.latencyMs = options.latencyMs ?? (scenario === "slow" ? SLOW_DEFAULT_MS : 0);
    if (options.downMode) session.downMode = options.downMode as DownMode;
    switch (scenario) {
      case "healthy":
      case "slow":
        session.authorized = true;
        this.setStatus(session, "WORKING");
        return;
      case "stopped":
        this.setStatus(session, "STOPPED");
        return;
      case "failed":
        session.authorized = true;
        this.setStatus(session, "FAILED");
        return;
      case "logged_out":
        session.authorized = false;
        this.setStatus(session, "FAILED");
        return;
      case "needs_qr":
        session.authorized = false;
        this.showQr(session);
        return;
      case "stuck_starting":
        this.setStatus(session, "STARTING");
        return;
      case "gateway_down":
      case "malformed_json":
      case "error_200":
        // The session is untouched; only the API in front of it misbehaves (routes.ts).
        return;
    }
  }

  /** POST …/start and the second half of a restart: STARTING, then where the credentials lead. */
  start(session: SimSession): void {
    if (session.status === "WORKING" || session.status === "SCAN_QR_CODE" || session.status === "STARTING") return;
    this.boot(session);
  }

  restart(session: SimSession): void {
    clearTimers(session);
    if (session.status !== "STOPPED") this.setStatus(session, "STOPPED");
    this.boot(session);
  }

  stop(session: SimSession): void {
    clearTimers(session);
    this.setStatus(session, "STOPPED");
  }

  /** PUT /api/sessions/{name}: the new config replaces the old one; a running session is restarted. */
  updateConfig(session: SimSession, config: SessionConfig): void {
    const running = session.status !== "STOPPED";
    clearTimers(session);
    if (running) this.setStatus(session, "STOPPED");
    session.config = structuredClone(config);
    if (running) this.boot(session);
  }

  /** The server process restarts (see the class comment for Core versus Plus). */
  restartServer(tier: "core" | "plus"): void {
    for (const session of this.sessions.values()) {
      if (session.scenario === "gateway_down" || session.scenario === "malformed_json" || session.scenario === "error_200") continue;
      clearTimers(session);
      if (tier === "core") {
        session.config = {};
        session.status = "STOPPED";
        session.qr = null;
        if (session.scenario !== "logged_out" && session.scenario !== "needs_qr") session.scenario = "stopped";
        continue;
      }
      session.status = "STOPPED";
      this.boot(session);
    }
  }

  private boot(session: SimSession): void {
    this.setStatus(session, "STARTING");
    if (session.scenario === "stuck_starting") return;
    schedule(session, this.options.startLatencyMs, () => {
      if (session.authorized) {
        session.scenario = session.scenario === "stopped" || session.scenario === "failed" ? "healthy" : session.scenario;
        this.setStatus(session, "WORKING");
      } else {
        this.showQr(session);
      }
    });
  }

  /** SCAN_QR_CODE with a fresh code (WAHA's raw value: `2@…` as WhatsApp Web makes it). */
  private showQr(session: SimSession): void {
    this.setStatus(session, "SCAN_QR_CODE");
    session.qr = `2@${randomBytes(24).toString("base64")},${randomBytes(16).toString("base64")},${randomBytes(16).toString("base64")}`;
  }

  private setStatus(session: SimSession, status: SessionStatus): void {
    if (session.status === status) return;
    session.status = status;
    if (status !== "SCAN_QR_CODE") session.qr = null;
    this.emit(session, "session.status", { name: session.name, status });
  }

  /** Sends one event to every webhook of the session that subscribes to it; returns once all were tried. */
  emit(session: SimSession, event: string, payload: unknown): Promise<void> {
    const now = Math.max(Date.now(), session.lastEventMs + 1);
    session.lastEventMs = now;
    const body = {
      id: `evt_${randomUUID().replace(/-/g, "").slice(0, 26)}`,
      timestamp: now,
      event,
      session: session.name,
      metadata: session.config.metadata ?? {},
      me: session.status === "WORKING" ? { id: session.me.id, pushName: session.me.pushName } : null,
      payload,
      engine: "NOWEB",
      environment: { version: "2025.9.1-sim", engine: "NOWEB", tier: "PLUS", browser: null },
    };
    const deliveries = (session.config.webhooks ?? [])
      .filter((entry) => entry.events.includes(event) || entry.events.includes("*"))
      .map((entry) => this.deliver(session, entry, body));
    const all = Promise.all(deliveries).then(() => undefined);
    this.inFlight.add(all);
    void all.finally(() => this.inFlight.delete(all));
    return all;
  }

  private async deliver(session: SimSession, entry: WebhookEntry, body: unknown): Promise<void> {
    const attempts = Math.max(1, Math.min(entry.retries?.attempts ?? 1, 15));
    const delayMs = Math.min((entry.retries?.delaySeconds ?? 1) * 1000, 5000);
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "WAHA/2025.9.1-sim" };
    for (const header of entry.customHeaders ?? []) headers[header.name] = header.value;
    for (let attempt = 1; attempt <= attempts && !this.stopped; attempt += 1) {
      session.deliveries.attempts += 1;
      try {
        const response = await fetch(entry.url, {
          method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.options.deliveryTimeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          session.deliveries.delivered += 1;
          return;
        }
      } catch {
        // Unreachable or timed out: tried again while attempts last.
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    session.deliveries.failed += 1;
  }

  /** Resolves when no webhook delivery is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  reset(): void {
    for (const session of this.sessions.values()) clearTimers(session);
    this.sessions.clear();
  }

  shutdown(): void {
    this.stopped = true;
    this.reset();
  }

  private mustFind(name: string): SimSession {
    const session = this.sessions.get(name);
    if (!session) throw new Error(`no session "${name}"`);
    return session;
  }
}

function schedule(session: SimSession, ms: number, fn: () => void): void {
  const timer = setTimeout(() => {
    session.timers.delete(timer);
    fn();
  }, ms);
  timer.unref?.();
  session.timers.add(timer);
}

function clearTimers(session: SimSession): void {
  for (const timer of session.timers) clearTimeout(timer);
  session.timers.clear();
}

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) >>> 0;
  return value;
}
