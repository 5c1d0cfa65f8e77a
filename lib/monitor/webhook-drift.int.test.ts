import { afterEach, beforeEach, expect, it } from "vitest";
import type { WebhookInput } from "@/dev/evolution-simulator/model";
import { listChannelHealth } from "@/lib/db/channel-health";
import { WEBHOOK_CHECK_INTERVAL_MS, WEBHOOK_SECRET_HEADER } from "@/lib/monitor/webhook-drift";
import { createProviders } from "@/lib/providers/registry";
import { ProviderError } from "@/lib/providers/types";
import { forEachBackend } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";
import { connectionEvent, inProcessReceiver, webhookSecretOf } from "@/test/webhook-fixtures";

const APP_URL = "http://sentinela.test";
const DEFAULT_EVENTS = ["CONNECTION_UPDATE", "QRCODE_UPDATED", "STATUS_INSTANCE", "LOGOUT_INSTANCE", "MESSAGES_UPSERT"];

forEachBackend("webhook drift repair and silence", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const pass = () => h.pass({}, { webhookBaseUrl: APP_URL });
  const finds = (name: string) => h.simulator.stats(name).calls["GET /webhook/find"] ?? 0;
  const restores = (id: string) => h.sql<{ outcome: string; detail: string }[]>`
    select outcome, detail from public.channel_actions where channel_id = ${id} and kind = 'webhook_restore' order by id`;

  it("restores a deleted, disabled, redirected, trimmed or unauthenticated webhook on the next due pass, once (mode manage)", async () => {
    const id = await h.addChannel("drift", "healthy");
    await h.sql`update public.channels set webhook_mode = 'manage' where id = ${id}`;
    const secret = await webhookSecretOf(h.sql, h.secretKey, id);
    const expected = {
      enabled: true, url: `${APP_URL}/api/webhooks/evolution/${id}`, events: DEFAULT_EVENTS,
      headers: { [WEBHOOK_SECRET_HEADER]: secret }, webhookByEvents: false,
    };
    await pass();
    expect(await restores(id)).toEqual([{ outcome: "ok", detail: "restored: webhook missing" }]);
    expect(h.simulator.stats("drift").webhook).toMatchObject(expected);

    const good: WebhookInput = { enabled: true, url: expected.url, headers: expected.headers, events: DEFAULT_EVENTS };
    const drifts: [string, () => void, RegExp][] = [
      ["deleted", () => {
        h.simulator.removeInstance("drift");
        h.simulator.addInstance({ name: "drift", scenario: "healthy" });
      }, /^restored: webhook missing$/],
      ["disabled", () => h.simulator.addInstance({ name: "drift", webhook: { ...good, enabled: false } }), /webhook disabled/],
      ["URL changed", () => h.simulator.addInstance({ name: "drift", webhook: { ...good, url: "http://elsewhere.test/hook?token=t0k3n" } }),
        /URL changed \(gateway had http:\/\/elsewhere\.test\/hook\)$/],
      ["events trimmed", () => h.simulator.addInstance({ name: "drift", webhook: { ...good, events: ["CONNECTION_UPDATE"] } }),
        /events missing: QRCODE_UPDATED, STATUS_INSTANCE, LOGOUT_INSTANCE, MESSAGES_UPSERT/],
      ["secret header dropped", () => h.simulator.addInstance({ name: "drift", webhook: { ...good, headers: {} } }),
        /secret header missing/],
    ];
    for (const [what, applyDrift, detail] of drifts) {
      applyDrift();
      const before = (await restores(id)).length;
      // Checked at most every 15 minutes: a pass 30 s later does not even read the webhook.
      h.clock.advance(30_000);
      const reads = finds("drift");
      await pass();
      expect({ what, reads: finds("drift") }).toEqual({ what, reads });
      expect(await restores(id)).toHaveLength(before);
      // The next due pass repairs it and logs it once …
      h.clock.advance(WEBHOOK_CHECK_INTERVAL_MS);
      await pass();
      const logged = await restores(id);
      expect({ what, count: logged.length }).toEqual({ what, count: before + 1 });
      expect(logged.at(-1)).toMatchObject({ outcome: "ok", detail: expect.stringMatching(detail) });
      expect(logged.at(-1)!.detail).not.toContain(secret);
      expect(h.simulator.stats("drift").webhook).toMatchObject(expected);
      // … and the pass after that finds nothing to do.
      h.clock.advance(WEBHOOK_CHECK_INTERVAL_MS);
      await pass();
      expect({ what, count: (await restores(id)).length }).toEqual({ what, count: before + 1 });
    }
    const [{ reconnects }] = await h.sql<{ reconnects: number }[]>`select sum(reconnects)::int as reconnects from public.monitor_runs`;
    expect(reconnects).toBe(0);
  });

  it("sends valid event names only, and logs a restore the gateway refuses as failed", async () => {
    const id = await h.addChannel("names", "healthy");
    await h.sql`update public.channels set webhook_events = ${[...DEFAULT_EVENTS, "GROUPS_UPDATE"]} where id = ${id}`;
    await pass();
    expect(h.simulator.stats("names").webhook?.events).toEqual(DEFAULT_EVENTS);
    expect((await restores(id))[0].detail).toMatch(/not gateway events, left out: GROUPS_UPDATE/);

    const failing = await h.addChannel("refusing", "healthy");
    const providers = createProviders({ timeoutMs: 2000 });
    const evolution = { ...providers.evolution, setWebhook: async () => { throw new ProviderError("provider_down", "setWebhook: gateway timed out"); } };
    await h.pass({}, { webhookBaseUrl: APP_URL, providers: { ...providers, evolution } });
    expect(await restores(failing)).toEqual([
      { outcome: "failed", detail: "webhook missing; restore failed: provider_down: setWebhook: gateway timed out" },
    ]);
  });

  it("skips drift without APP_URL (saying why), and for gateways that are down or reject our key", async () => {
    const plain = await h.addChannel("plain", "healthy");
    await h.pass();
    expect(finds("plain")).toBe(0);
    const [check] = await h.sql<{ detail: string }[]>`select detail from public.channel_checks where channel_id = ${plain}`;
    expect(check.detail).toMatch(/APP_URL is not set/);

    const down = await h.addChannel("down", "gateway_down");
    const wrongKey = await h.addChannel("wrong-key", "wrong_api_key");
    h.clock.advance(30_000);
    await pass();
    expect(finds("down") + finds("wrong-key")).toBe(0);
    expect([...(await restores(down)), ...(await restores(wrongKey))]).toEqual([]);
    expect(finds("plain")).toBe(1);
  });

  it("shows a connected channel that delivers nothing as silent, counts that time degraded, and an event ends it", async () => {
    const id = await h.addChannel("quiet", "healthy");
    await h.sql`update public.channels set silence_threshold_seconds = 60 where id = ${id}`;
    const silentSince = async () => (await h.status(id)).silent_since as Date | null;
    await pass();
    h.clock.advance(30_000);
    await pass();
    expect(await silentSince()).toBeNull();
    h.clock.advance(30_000);
    await pass();
    const connectedAt = new Date(h.clock.now.getTime() - 60_000);
    expect(await silentSince()).toEqual(connectedAt);
    const [check] = await h.sql<{ detail: string }[]>`
      select detail from public.channel_checks where channel_id = ${id} order by id desc limit 1`;
    expect(check.detail).toContain(`connected, silent since ${connectedAt.toISOString()}`);
    const [health] = await listChannelHealth(h.sql, h.tenantId, h.clock.now, "America/Sao_Paulo");
    expect(health).toMatchObject({ state: "connected", silentSince: connectedAt });

    h.clock.advance(30_000);
    await pass();
    const receiver = inProcessReceiver(h.sql, h.secretKey, { clock: () => new Date(h.clock.now) });
    const secret = await webhookSecretOf(h.sql, h.secretKey, id);
    const answer = await receiver.post(id, connectionEvent("quiet", "open", h.clock.now), { secret });
    expect(await answer.json()).toMatchObject({ outcome: "unchanged" });
    expect(await silentSince()).toBeNull();
    h.clock.advance(30_000);
    await pass();
    expect(await silentSince()).toBeNull();
    const [uptime] = await h.sql<{ up: number; degraded: number }[]>`
      select sum(up_seconds)::int as up, sum(degraded_seconds)::int as degraded
      from public.channel_uptime_hourly where channel_id = ${id}`;
    expect(uptime).toEqual({ up: 90, degraded: 30 });
  });
});
