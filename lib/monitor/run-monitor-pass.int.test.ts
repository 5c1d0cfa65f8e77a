import { afterEach, beforeEach, expect, it } from "vitest";
import { forEachBackend } from "@/test/databases";
import { startHarness, T0, type Harness } from "@/test/monitor-harness";

forEachBackend("monitor pass against the simulator", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  it("ends every scenario in the right state, with the right action", async () => {
    const ids = {
      healthy: await h.addChannel("healthy", "healthy"),
      drops: await h.addChannel("drops", "drops_and_recovers", { recoverAfterMs: 600_000 }),
      loggedOut: await h.addChannel("logged-out", "logged_out"),
      replaced: await h.addChannel("replaced", "replaced"),
      stuck: await h.addChannel("stuck", "stuck_connecting"),
      slow: await h.addChannel("slow", "slow", { latencyMs: 150 }),
      down: await h.addChannel("down", "gateway_down"),
      wrongKey: await h.addChannel("wrong-key", "wrong_api_key"),
      malformed: await h.addChannel("malformed", "malformed_json"),
      unknownInstance: await h.addChannel("ghost", "healthy"),
    };
    h.simulator.removeInstance("ghost");

    const summary = await h.pass();
    expect(summary).toMatchObject({ ok: true, checked: 10, remaining: 0 });

    const expected: Record<keyof typeof ids, string> = {
      healthy: "connected", drops: "disconnected", loggedOut: "needs_qr", replaced: "replaced", stuck: "connecting",
      slow: "connected", down: "provider_down", wrongKey: "misconfigured", malformed: "provider_down",
      unknownInstance: "misconfigured",
    };
    for (const [key, state] of Object.entries(expected)) {
      expect({ key, state: (await h.status(ids[key as keyof typeof ids])).state }).toEqual({ key, state });
    }
    expect(Number((await h.status(ids.slow)).latency_ms)).toBeGreaterThanOrEqual(150);

    // Only the recoverable one was touched: restart (HTTP 200 {"error":true} since it is closed) then
    // connect, recorded as the one reconnect it is, with its real outcome.
    expect(await h.actions(ids.drops)).toEqual([{ kind: "reconnect", outcome: "ok", trigger: "monitor" }]);
    expect(h.simulator.stats("drops").calls["GET /instance/connect"]).toBe(1);
    for (const key of ["healthy", "loggedOut", "replaced", "stuck", "down", "wrongKey", "malformed"] as const) {
      expect({ key, actions: await h.actions(ids[key]) }).toEqual({ key, actions: [] });
    }
    const drops = h.simulator.stats("drops").calls;
    expect(drops["POST /instance/restart"]).toBe(1);
    expect(drops["PUT /instance/restart"]).toBeUndefined();

    const [check] = await h.sql<{ detail: string }[]>`
      select detail from public.channel_checks where channel_id = ${ids.malformed}`;
    expect(check.detail.length).toBeGreaterThan(0);

    // The simulator brought the instance back after connect: the next pass sees it recover at once.
    await new Promise((resolve) => setTimeout(resolve, 200));
    h.clock.advance(30_000);
    await h.pass();
    expect((await h.status(ids.drops)).state).toBe("connected");
    const events = await h.sql`select from_state, to_state, source from public.channel_events where channel_id = ${ids.drops} order by id`;
    expect(events.map((e) => `${e.from_state}->${e.to_state}:${e.source}`)).toEqual([
      "unknown->disconnected:monitor",
      "disconnected->connected:monitor",
    ]);
  });

  it("confirms a drop only on the second check", async () => {
    const id = await h.addChannel("blip", "healthy");
    await h.pass();
    h.simulator.setScenario("blip", "drops_and_recovers", { recoverAfterMs: 600_000 });
    h.clock.advance(30_000);
    const first = await h.pass();
    expect(first.transitions).toBe(0);
    expect((await h.status(id)).state).toBe("connected");
    expect(await h.actions(id)).toEqual([]);
    h.clock.advance(30_000);
    const second = await h.pass();
    expect(second).toMatchObject({ transitions: 1, reconnects: 1 });
    expect((await h.status(id)).state).toBe("disconnected");
  });

  it("leaves a channel alone while its QR pairing is in progress", async () => {
    const id = await h.addChannel("pairing", "stuck_connecting");
    await h.pass();
    await h.sql`update public.channel_status set since = ${new Date(h.clock.now.getTime() - 600_000)},
      qr_requested_at = ${new Date(h.clock.now.getTime() + 30_000 - 60_000)} where channel_id = ${id}`;
    h.clock.advance(30_000);
    await h.pass();
    expect(await h.actions(id)).toEqual([]);
    expect(h.simulator.stats("pairing").calls["POST /instance/restart"]).toBeUndefined();
    // Once the pairing window is over, a channel stuck connecting does get a restart.
    h.clock.advance(180_000);
    await h.pass();
    expect((await h.actions(id)).map((a) => a.kind)).toContain("reconnect");
  });

  it("never reconnects a logged-out channel: zero attempts over an hour of passes", async () => {
    const id = await h.addChannel("logged-out", "logged_out");
    for (let i = 0; i < 120; i++) {
      await h.pass();
      h.clock.advance(30_000);
    }
    expect((await h.status(id)).state).toBe("needs_qr");
    expect(await h.actions(id)).toEqual([]);
    const calls = h.simulator.stats("logged-out").calls;
    expect(calls["POST /instance/restart"] ?? 0).toBe(0);
    expect(calls["GET /instance/connect"] ?? 0).toBe(0);
    expect(calls["GET /instance/connectionState"]).toBe(120);
  });

  it("gives a killed pass's channels to the next pass one check interval after the claim, and closes the dead run", async () => {
    const ids = [await h.addChannel("a", "healthy"), await h.addChannel("b", "healthy")];
    const deadRun = await h.store.startRun("cron", h.clock.now);
    const claimed = await h.store.claimChannels({
      runId: deadRun, now: h.clock.now, passStartedAt: h.clock.now, limit: 10, all: false,
    });
    expect(claimed.map((c) => c.channelId).sort()).toEqual([...ids].sort());
    // The claimer dies here. Until one interval (30 s) has gone by since the claim nobody checks them …
    h.clock.advance(29_000);
    expect(await h.pass()).toMatchObject({ checked: 0 });
    // … and at one interval the next pass picks them up.
    h.clock.advance(1_000);
    expect(await h.pass()).toMatchObject({ checked: 2, remaining: 0 });
    const [run] = await h.sql`select error, finished_at from public.monitor_runs where id = ${deadRun}`;
    expect(run).toEqual({ error: "abandoned: no heartbeat since 2026-03-01T12:00:00.000Z", finished_at: T0 });
  });

  it("leaves a live pass's channels alone past the interval while that pass beats", async () => {
    await h.addChannel("a", "healthy");
    const liveRun = await h.store.startRun("cron", h.clock.now);
    await h.store.claimChannels({ runId: liveRun, now: h.clock.now, passStartedAt: h.clock.now, limit: 10, all: false });
    // Its check is slow (a gateway timing out twice): the lease's interval runs out, its heartbeat goes on.
    h.clock.advance(45_000);
    await h.store.heartbeat(liveRun, h.clock.now);
    h.clock.advance(5_000);
    expect(await h.pass()).toMatchObject({ checked: 0 });
    // Once it stops beating, its channel is free.
    h.clock.advance(10_000);
    expect(await h.pass()).toMatchObject({ checked: 1 });
  });
});
