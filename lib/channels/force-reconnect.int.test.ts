import { afterEach, beforeEach, expect, it } from "vitest";
import { FORCED_RECONNECT_INTERVAL_MS, forceReconnect } from "@/lib/channels/force-reconnect";
import { getLastPassAt } from "@/lib/db/monitor-runs";
import { forEachBackend } from "@/test/databases";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { insertChannel } from "@/test/factories";
import { startHarness, type Harness } from "@/test/monitor-harness";

forEachBackend("forced reconnect", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const manualActions = (channelId: string) => h.sql<{ kind: string; trigger: string; actor: string | null; outcome: string; detail: string }[]>`
    select kind, trigger, actor_user_id::text as actor, outcome, detail from public.channel_actions
    where channel_id = ${channelId} order by id`;

  it("reconnects through the monitor's code as an admin, audits it and stores the new state at once", async () => {
    const id = await h.addChannel("drops", "drops_and_recovers", { recoverAfterMs: 600_000 });
    const admin = await member(h, "admin");

    const result = await forceReconnect(actionDeps(h), admin, id);

    expect(result).toMatchObject({ status: "done", outcome: "ok", state: "connected" });
    // The instance is closed, so the gateway refuses the restart and connect brings it back: the monitor's path.
    const calls = h.simulator.stats("drops").calls;
    expect(calls["POST /instance/restart"]).toBe(1);
    expect(calls["GET /instance/connect"]).toBe(1);
    const actions = await manualActions(id);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ kind: "reconnect", trigger: "manual", actor: admin.sub, outcome: "ok" });
    expect(actions[0].detail).toBe("restart not possible on a closed instance, connect: gateway is connecting");
    expect(actions[0].detail).not.toContain("[object Object]");
    expect((await h.status(id)).state).toBe("connected");
    const runs = await h.sql`select trigger, checked from public.monitor_runs`;
    expect(runs.map((r) => ({ ...r }))).toEqual([{ trigger: "manual", checked: 1 }]);
    // A person's one-channel check is not the monitor running.
    expect(await getLastPassAt(h.sql)).toBeNull();
  });

  it("refuses a forced reconnect on a line that needs a QR scan: no gateway call, nothing logged", async () => {
    const id = await h.addChannel("logged-out", "logged_out");
    await h.pass();
    expect((await h.status(id)).state).toBe("needs_qr");
    const admin = await member(h, "admin");

    expect(await forceReconnect(actionDeps(h), admin, id)).toEqual({ status: "needs_qr" });
    const calls = h.simulator.stats("logged-out").calls;
    expect(calls["POST /instance/restart"] ?? 0).toBe(0);
    expect(calls["GET /instance/connect"] ?? 0).toBe(0);
    expect(await manualActions(id)).toEqual([]);
  });

  it("allows one forced reconnect per channel per 30 s, counted in the database", async () => {
    const id = await h.addChannel("drops", "drops_and_recovers", { recoverAfterMs: 600_000 });
    const admin = await member(h, "admin");
    const otherAdmin = await member(h, "admin");
    expect(await forceReconnect(actionDeps(h), admin, id)).toMatchObject({ status: "done" });

    h.clock.advance(FORCED_RECONNECT_INTERVAL_MS - 1_000);
    expect(await forceReconnect(actionDeps(h), otherAdmin, id)).toEqual({ status: "rate_limited", retryAfterSeconds: 1 });
    expect(h.simulator.stats("drops").calls["POST /instance/restart"]).toBe(1);
    expect(await manualActions(id)).toHaveLength(1);

    h.clock.advance(1_000);
    expect(await forceReconnect(actionDeps(h), otherAdmin, id)).toMatchObject({ status: "done" });
    expect(h.simulator.stats("drops").calls["POST /instance/restart"]).toBe(2);
    expect((await manualActions(id)).map((a) => a.actor)).toEqual([admin.sub, otherAdmin.sub]);
  });

  it("refuses a viewer and writes nothing", async () => {
    const id = await h.addChannel("drops", "drops_and_recovers", { recoverAfterMs: 600_000 });
    const viewer = await member(h, "viewer");

    expect(await forceReconnect(actionDeps(h), viewer, id)).toEqual({ status: "forbidden" });
    expect(await manualActions(id)).toEqual([]);
    expect(h.simulator.stats("drops").calls["POST /instance/restart"]).toBeUndefined();
    expect(await h.sql`select 1 from public.monitor_runs`).toHaveLength(0);
    expect((await h.status(id)).state).toBe("unknown");
  });

  it("does not find another tenant's channel, nor one that does not exist", async () => {
    const foreign = await insertChannel(h.sql);
    const admin = await member(h, "admin");

    expect(await forceReconnect(actionDeps(h), admin, foreign.id)).toEqual({ status: "not_found" });
    expect(await forceReconnect(actionDeps(h), admin, "00000000-0000-4000-8000-000000000000")).toEqual({ status: "not_found" });
    // An admin of that other tenant is allowed, so the refusal above was about the tenant, not the channel.
    const foreignAdmin = await member(h, "admin", foreign.tenant_id);
    expect(await forceReconnect(actionDeps(h), foreignAdmin, foreign.id)).toMatchObject({ status: "done", outcome: "failed" });
    expect(await manualActions(foreign.id)).toHaveLength(1);
  });
});
