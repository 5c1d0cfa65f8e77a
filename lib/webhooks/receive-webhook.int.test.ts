import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, it } from "vitest";
import { checkChannel } from "@/lib/monitor/check-channel";
import { deliverPendingForwards, RETRY_BASE_MS } from "@/lib/webhooks/forward-queue";
import { forEachBackend } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";
import { connectionEvent, evolutionEvent, inProcessReceiver, webhookSecretOf, type InProcessReceiver } from "@/test/webhook-fixtures";

forEachBackend("webhook receiver", (db) => {
  let h: Harness;
  let receiver: InProcessReceiver;
  let channelId: string;
  let secret: string;

  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
    receiver = inProcessReceiver(h.sql, h.secretKey);
    channelId = await h.addChannel("recepcao", "healthy");
    secret = await webhookSecretOf(h.sql, h.secretKey, channelId);
    await h.sql`update public.channel_status set state = 'connected', since = now() - interval '1 hour',
      accounted_until = now() - interval '10 seconds' where channel_id = ${channelId}`;
  });
  afterEach(async () => h.stop());

  /** Everything a refused delivery must leave exactly as it was. */
  async function snapshot() {
    const [status] = await h.sql`select * from public.channel_status where channel_id = ${channelId}`;
    const [counts] = await h.sql`select
      (select count(*)::int from public.channel_events) as events,
      (select count(*)::int from public.channel_uptime_hourly) as hourly,
      (select count(*)::int from public.channel_actions) as actions`;
    return { status, counts };
  }

  it("applies a disconnect at once with source webhook, accounts uptime up to it, and drops repeats and late arrivals", async () => {
    const t = new Date();
    const close = connectionEvent("recepcao", "close", t, 428);
    const started = performance.now();
    const response = await receiver.post(channelId, close, { secret });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, event: "connection.update", outcome: "transition" });
    expect(elapsed).toBeLessThan(1000);

    const status = await h.status(channelId);
    expect(status).toMatchObject({ state: "disconnected", reason: "connection closed", pending_state: null });
    expect(status.last_event_occurred_at).toEqual(t);
    expect((status.accounted_until as Date).getTime()).toBeGreaterThan(Date.now() - 5000);
    const [events] = await h.sql`select from_state, to_state, source, dedupe_key from public.channel_events
      where channel_id = ${channelId}`;
    expect(events).toMatchObject({ from_state: "connected", to_state: "disconnected", source: "webhook" });
    expect(events.dedupe_key).toMatch(new RegExp(`^webhook:${channelId}:[0-9a-f]{64}$`));
    const [hour] = await h.sql<{ up: number }[]>`select sum(up_seconds)::int as up from public.channel_uptime_hourly
      where channel_id = ${channelId}`;
    expect(hour.up).toBeGreaterThanOrEqual(9);
    expect(hour.up).toBeLessThanOrEqual(12);

    const before = await snapshot();
    const repeat = await receiver.post(channelId, close, { secret });
    expect(await repeat.json()).toMatchObject({ outcome: "stale" });
    const late = await receiver.post(channelId, connectionEvent("recepcao", "open", new Date(t.getTime() - 1)), { secret });
    expect(await late.json()).toMatchObject({ outcome: "stale" });
    const after = await snapshot();
    expect(after.counts).toEqual(before.counts);
    expect(after.status.state).toBe("disconnected");
  });

  it("answers 401 alike to a wrong or missing secret and to unknown or malformed channel ids, changing nothing", async () => {
    const before = await snapshot();
    const close = connectionEvent("recepcao", "close", new Date(), 428);
    const refused = [
      await receiver.post(channelId, close, { secret: `${secret}x` }),
      await receiver.post(channelId, close, { secret: null }),
      await receiver.post(randomUUID(), close, { secret }),
      await receiver.post("not-a-uuid", close, { secret }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers 400 with a clear message to malformed, oversized or misaddressed bodies, changing nothing", async () => {
    const before = await snapshot();
    const cases: [unknown, boolean, RegExp][] = [
      ["{not json", true, /not valid JSON/],
      [[1, 2], false, /not a JSON object/],
      [{ event: "connection.update", instance: "recepcao", data: { state: "sideways" }, date_time: new Date().toISOString() }, false, /state/],
      [{ ...connectionEvent("recepcao", "close", new Date(), 428), date_time: "yesterday" }, false, /date_time/],
      [connectionEvent("another-instance", "close", new Date(), 428), false, /another-instance/],
      [JSON.stringify({ pad: "x".repeat(1024 * 1024) }), true, /larger than/],
    ];
    for (const [body, raw, message] of cases) {
      const response = await receiver.post(channelId, body, { secret, raw });
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { message: string } };
      expect(answer.error.message).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
    expect(receiver.deferred).toHaveLength(0);
  });

  it("acknowledges events it does not read, and counts any accepted event as a sign of life", async () => {
    await h.sql`update public.channel_status set silent_since = now() - interval '2 hours' where channel_id = ${channelId}`;
    const message = evolutionEvent("messages.upsert", "recepcao", { key: { id: "ABC" }, message: { conversation: "Oi" } }, new Date());
    const response = await receiver.post(channelId, message, { secret });
    expect(await response.json()).toEqual({ ok: true, event: "messages.upsert", outcome: "ignored" });
    const status = await h.status(channelId);
    expect(status).toMatchObject({ state: "connected", silent_since: null });
    expect((status.last_event_at as Date).getTime()).toBeGreaterThan(Date.now() - 5000);
  });

  it("maps logout, status and QR events the way the monitor classifies states", async () => {
    const t = Date.now();
    const qr = evolutionEvent("qrcode.updated", "recepcao", { qrcode: { code: "2@abc", base64: "data:image/png;base64,AA" } }, new Date(t));
    expect(await (await receiver.post(channelId, qr, { secret })).json()).toMatchObject({ outcome: "noted" });
    expect(await h.status(channelId)).toMatchObject({ state: "connected" });
    expect((await h.status(channelId)).qr_requested_at).not.toBeNull();

    const logout = evolutionEvent("logout.instance", "recepcao", null, new Date(t + 1));
    expect(await (await receiver.post(channelId, logout, { secret })).json()).toMatchObject({ outcome: "transition" });
    expect(await h.status(channelId)).toMatchObject({ state: "needs_qr", reason: "logged out (device unlinked)" });

    const open = connectionEvent("recepcao", "open", new Date(t + 2));
    await receiver.post(channelId, open, { secret });
    const banned = evolutionEvent("status.instance", "recepcao", { status: "closed", disconnectionReasonCode: 403 }, new Date(t + 3));
    expect(await (await receiver.post(channelId, banned, { secret })).json()).toMatchObject({ outcome: "transition" });
    expect(await h.status(channelId)).toMatchObject({ state: "needs_qr", reason: "forbidden (number may be banned)" });
    const events = await h.sql`select from_state, to_state from public.channel_events where channel_id = ${channelId} order by id`;
    expect(events.map((e) => `${e.from_state}->${e.to_state}`)).toEqual(["connected->needs_qr", "needs_qr->connected", "connected->needs_qr"]);
  });

  it("leaves a paused channel's state alone", async () => {
    await h.sql`update public.channels set monitoring_enabled = false where id = ${channelId}`;
    await h.sql`update public.channel_status set state = 'paused' where channel_id = ${channelId}`;
    const response = await receiver.post(channelId, connectionEvent("recepcao", "close", new Date(), 428), { secret });
    expect(await response.json()).toMatchObject({ outcome: "paused" });
    expect(await h.status(channelId)).toMatchObject({ state: "paused" });
  });

  it("makes a monitor pass in flight lose its write when a webhook moved the state, even away and back", async () => {
    const runId = await h.store.startRun("cli", h.clock.now);
    const [claimed] = await h.store.claimChannels({
      runId, now: h.clock.now, passStartedAt: h.clock.now, limit: 10, all: true,
    });
    const t = Date.now();
    await receiver.post(channelId, connectionEvent("recepcao", "close", new Date(t), 428), { secret });
    await receiver.post(channelId, connectionEvent("recepcao", "open", new Date(t + 1)), { secret });
    const [uptimeBefore] = await h.sql`select coalesce(sum(up_seconds + down_seconds), 0)::int as n from public.channel_uptime_hourly`;
    const outcome = await checkChannel(claimed, h.deps());
    await h.store.writeOutcomes(runId, [outcome], [channelId]);
    const [uptimeAfter] = await h.sql`select coalesce(sum(up_seconds + down_seconds), 0)::int as n from public.channel_uptime_hourly`;
    expect(uptimeAfter.n).toBe(uptimeBefore.n);
    // The state and uptime are the webhook's; the facts of the check (it ran) are kept, so the pass does
    // not claim the channel again.
    const status = await h.status(channelId);
    expect(status).toMatchObject({ state: "connected", lease_owner: null, last_checked_at: h.clock.now });
    const events = await h.sql`select source from public.channel_events where channel_id = ${channelId}`;
    expect(events.map((e) => e.source)).toEqual(["webhook", "webhook"]);
  });

  it("keeps the backoff of a reconnect made by a pass whose write lost to a webhook", async () => {
    h.simulator.setScenario("recepcao", "drops_and_recovers", { recoverAfterMs: 600_000 });
    await h.sql`update public.channel_status set state = 'disconnected' where channel_id = ${channelId}`;
    const runId = await h.store.startRun("cli", h.clock.now);
    const [claimed] = await h.store.claimChannels({
      runId, now: h.clock.now, passStartedAt: h.clock.now, limit: 10, all: true,
    });
    await receiver.post(channelId, connectionEvent("recepcao", "connecting", new Date()), { secret });
    const outcome = await checkChannel(claimed, h.deps());
    expect(outcome.reconnected).toBe(true);
    await h.store.writeOutcomes(runId, [outcome], [channelId]);
    const status = await h.status(channelId);
    expect(status).toMatchObject({ state: "connecting", reconnect_attempt: 1, lease_owner: null });
    expect(status.next_reconnect_at).toEqual(outcome.status.nextReconnectAt);
  });

  it("queues every accepted body for the downstream, sends it after answering, and leaves a failure to a later pass", async () => {
    const received: { body: string; at: number }[] = [];
    let failuresLeft = 1;
    const downstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), at: performance.now() });
        if (failuresLeft-- > 0) res.writeHead(503).end("busy");
        else res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => downstream.listen(0, "127.0.0.1", resolve));
    // A URL stored before downstreams were sealed: forwarded to as it is.
    const url = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/platform/hook?token=abc`;
    await h.sql`update public.channels set webhook_downstream_url = ${url} where id = ${channelId}`;
    try {
      const raw = JSON.stringify(evolutionEvent("messages.upsert", "recepcao", { message: { conversation: "Olá, tudo bem?" } }, new Date()));
      const response = await receiver.post(channelId, raw, { secret, raw: true });
      const answeredAt = performance.now();
      expect(response.status).toBe(200);
      await Promise.all(receiver.deferred);
      expect(received.map((r) => r.body)).toEqual([raw]);
      expect(received[0].at).toBeGreaterThan(answeredAt);
      const retry = await deliverPendingForwards(
        { db: h.sql, secretKey: h.secretKey, clock: () => new Date(Date.now() + RETRY_BASE_MS) },
        { limit: 10, budgetMs: 5_000 },
      );
      expect(retry).toEqual({ delivered: 1, retrying: 0, failed: 0, expired: 0 });
      expect(received.map((r) => r.body)).toEqual([raw, raw]);
      // A refused delivery is not forwarded.
      await receiver.post(channelId, raw, { secret: "wrong", raw: true });
      expect(receiver.deferred).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => downstream.close(() => resolve()));
    }
  });
});
