import { afterEach, beforeEach, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/evolution/[channelId]/route";
import type { SimState } from "@/dev/evolution-simulator/model";
import type { EmitRequest } from "@/dev/evolution-simulator/simulator-core";
import { closeSql } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { classifyReport, holdWhileAwaitingScan } from "@/lib/monitor/classify-state";
import type { ChannelState } from "@/lib/monitor/states";
import { WEBHOOK_SECRET_HEADER } from "@/lib/monitor/webhook-drift";
import { parseEvolutionWebhookEvent } from "@/lib/providers/evolution-webhook";
import { stateReportOf } from "@/lib/webhooks/apply-webhook-event";
import { forEachBackend } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";
import { connectionEvent, webhookSecretOf } from "@/test/webhook-fixtures";
import { startReceiverServer, type ReceiverServer } from "@/test/webhook-receiver-server";

/**
 * The app's own route handler behind real HTTP, fed by the simulated gateway: the webhook is set by
 * the monitor's drift repair, then the gateway delivers bursts with duplicates and reordering.
 */

const ENV_KEYS = ["DATABASE_URL", "CHANNEL_SECRET_KEY"] as const;

interface Applied {
  outcomes: string[];
  transitions: string[];
  finalState: string;
}

/** What the receiver must have done with deliveries handled one after another in this order. */
function expectedFromArrivals(bodies: string[], initialState: string): Applied {
  let state = initialState;
  let last: { at: number; key: string } | null = null;
  const result: Applied = { outcomes: [], transitions: [], finalState: state };
  for (const body of bodies) {
    const event = parseEvolutionWebhookEvent(JSON.parse(body));
    if (event.kind !== "connection") throw new Error(`unexpected ${event.kind}`);
    const at = event.occurredAt.getTime();
    if (last && !(at > last.at || (at === last.at && event.dedupeKey > last.key))) {
      result.outcomes.push("stale");
      continue;
    }
    last = { at, key: event.dedupeKey };
    const next = holdWhileAwaitingScan(state as ChannelState, classifyReport(stateReportOf(event)!)).state;
    result.outcomes.push(next === state ? "unchanged" : "transition");
    if (next !== state) result.transitions.push(`${state}->${next}`);
    state = next;
  }
  result.finalState = state;
  return result;
}

function seededRandom(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHOICES: [SimState, number | null][] = [
  ["open", null], ["connecting", null], ["close", 428], ["close", 408], ["close", 401], ["close", 440], ["refused", 428],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

forEachBackend("webhooks through the app's route", (db) => {
  let h: Harness;
  let server: ReceiverServer;
  const savedEnv: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};

  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
    for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
    process.env.DATABASE_URL = db().url;
    process.env.CHANNEL_SECRET_KEY = h.secretKey;
    resetEnvCache();
    await closeSql();
    server = await startReceiverServer((request, channelId) => POST(request, { params: Promise.resolve({ channelId }) }));
  });

  afterEach(async () => {
    await server.stop();
    await h.stop();
    await closeSql();
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    resetEnvCache();
  });

  /** A connected channel whose gateway webhook the first monitor pass pointed at the receiver. */
  async function wiredChannel(name: string): Promise<string> {
    const id = await h.addChannel(name, "healthy");
    await h.pass({}, { webhookBaseUrl: server.url });
    expect(await h.status(id)).toMatchObject({ state: "connected" });
    return id;
  }

  it("gets its webhook from the first pass, and a disconnect reaches the database within a second", async () => {
    const id = await wiredChannel("suite");
    const webhook = h.simulator.stats("suite").webhook;
    expect(webhook).toMatchObject({
      enabled: true,
      url: `${server.url}/api/webhooks/evolution/${id}`,
      events: ["CONNECTION_UPDATE", "QRCODE_UPDATED", "STATUS_INSTANCE", "LOGOUT_INSTANCE", "MESSAGES_UPSERT"],
      headers: { [WEBHOOK_SECRET_HEADER]: await webhookSecretOf(h.sql, h.secretKey, id) },
    });
    expect(await h.actions(id)).toEqual([{ kind: "webhook_restore", outcome: "ok", trigger: "monitor" }]);

    const started = performance.now();
    h.simulator.setScenario("suite", "drops_and_recovers", { recoverAfterMs: 600_000 });
    let firstChange: number | undefined;
    let disconnected: number | undefined;
    while (performance.now() - started < 5000 && disconnected === undefined) {
      const { state } = await h.status(id);
      if (state !== "connected") firstChange ??= performance.now() - started;
      if (state === "disconnected") disconnected = performance.now() - started;
      else await sleep(2);
    }
    await h.simulator.idle();
    console.log(`[latency] gateway drop → first state change in DB ${firstChange?.toFixed(1)} ms, ` +
      `→ disconnected ${disconnected?.toFixed(1)} ms (burst of ${server.deliveries.length} deliveries)`);
    expect(disconnected).toBeDefined();
    expect(disconnected!).toBeLessThan(1000);
    expect((await h.status(id)).state).toBe("disconnected");
    const events = await h.sql`select source from public.channel_events where channel_id = ${id} and source = 'webhook'`;
    expect(events.length).toBeGreaterThan(0);
  });

  it("takes 100 events/s for 10 s with duplicates and reordering: exact transitions, nothing applied twice", async () => {
    const id = await wiredChannel("flood");
    const random = seededRandom(6);
    const emitted: Promise<unknown>[] = [];
    const started = performance.now();
    for (let batch = 0; batch < 100; batch++) {
      const events: EmitRequest[] = Array.from({ length: 10 }, () => {
        const [state, statusReason] = CHOICES[Math.floor(random() * CHOICES.length)];
        return { state, statusReason };
      });
      emitted.push(h.simulator.emit("flood", events));
      await sleep(started + (batch + 1) * 100 - performance.now());
    }
    await Promise.all(emitted);
    await h.simulator.idle();
    const elapsed = performance.now() - started;

    const deliveries = server.deliveries.filter((d) => d.channelId === id);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    const distinct = new Set(deliveries.map((d) => d.body));
    expect(distinct.size).toBe(1000);
    expect(deliveries.length).toBeGreaterThan(1100);

    const expected = expectedFromArrivals(deliveries.map((d) => d.body), "connected");
    expect(deliveries.map((d) => d.outcome)).toEqual(expected.outcomes);
    const rows = await h.sql<{ from_state: string; to_state: string }[]>`
      select from_state, to_state from public.channel_events where channel_id = ${id} and source = 'webhook' order by id`;
    expect(rows.map((r) => `${r.from_state}->${r.to_state}`)).toEqual(expected.transitions);
    expect((await h.status(id)).state).toBe(expected.finalState);

    // Independently of the model: the newest event decides, and no event was applied twice.
    const newest = [...distinct].map((body) => parseEvolutionWebhookEvent(JSON.parse(body)))
      .sort((a, b) => ("occurredAt" in a && "occurredAt" in b ? a.occurredAt.getTime() - b.occurredAt.getTime() : 0))
      .at(-1)!;
    if (newest.kind !== "connection") throw new Error("expected a connection event");
    // (A line that needs a QR scan stays so while the gateway only says `connecting`.)
    const newestVerdict = classifyReport(stateReportOf(newest)!).state;
    const finalState = (await h.status(id)).state;
    expect(finalState === newestVerdict || (finalState === "needs_qr" && newestVerdict === "connecting")).toBe(true);
    const appliedBodies = deliveries.filter((d) => d.outcome !== "stale").map((d) => d.body);
    expect(new Set(appliedBodies).size).toBe(appliedBodies.length);

    console.log(`[burst] ${deliveries.length} deliveries of 1000 events in ${(elapsed / 1000).toFixed(1)} s: ` +
      `${expected.transitions.length} transitions, ${expected.outcomes.filter((o) => o === "stale").length} stale/duplicate dropped`);
  });

  it("applies concurrent deliveries for one channel as one consistent chain, the newest event winning", async () => {
    const id = await wiredChannel("storm");
    const secret = await webhookSecretOf(h.sql, h.secretKey, id);
    const random = seededRandom(11);
    const base = Date.now();
    const bodies = Array.from({ length: 200 }, (_, i) => {
      const [state, reason] = CHOICES[Math.floor(random() * CHOICES.length)];
      return JSON.stringify(connectionEvent("storm", state, new Date(base + i), reason ?? undefined));
    });
    const sent = [...bodies, ...bodies.filter(() => random() < 0.3)].sort(() => random() - 0.5);
    const started = performance.now();
    const answers = await Promise.all(sent.map((body) =>
      fetch(`${server.url}/api/webhooks/evolution/${id}`, {
        method: "POST", headers: { "content-type": "application/json", [WEBHOOK_SECRET_HEADER]: secret }, body,
      }).then((response) => response.status)));
    const elapsedSeconds = (performance.now() - started) / 1000;
    expect(answers.every((status) => status === 200)).toBe(true);

    const newest = parseEvolutionWebhookEvent(JSON.parse(bodies.at(-1)!));
    if (newest.kind !== "connection") throw new Error("expected a connection event");
    // (A line that needs a QR scan stays so while the gateway only says `connecting`.)
    const newestVerdict = classifyReport(stateReportOf(newest)!).state;
    const finalState = (await h.status(id)).state;
    expect(finalState === newestVerdict || (finalState === "needs_qr" && newestVerdict === "connecting")).toBe(true);

    const rows = await h.sql<{ from_state: string; to_state: string; dedupe_key: string }[]>`
      select from_state, to_state, dedupe_key from public.channel_events
      where channel_id = ${id} and source = 'webhook' order by id`;
    let state = "connected";
    for (const row of rows) {
      expect(row.from_state).toBe(state);
      state = row.to_state;
    }
    expect(state).toBe((await h.status(id)).state);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(rows.length);
    const applied = server.deliveries.filter((d) => d.outcome === "transition" || d.outcome === "unchanged");
    expect(new Set(applied.map((d) => d.body)).size).toBe(applied.length);
    // Uptime is accounted once: never more seconds than the storm lasted.
    const [{ seconds }] = await h.sql<{ seconds: number }[]>`
      select coalesce(sum(up_seconds + degraded_seconds + down_seconds), 0)::int as seconds
      from public.channel_uptime_hourly where channel_id = ${id}`;
    expect(seconds).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 1);
  });
});
