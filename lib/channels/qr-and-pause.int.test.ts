import { afterEach, beforeEach, expect, it } from "vitest";
import { setChannelPaused } from "@/lib/channels/pause-channel";
import { pollQr, requestQr } from "@/lib/channels/qr-pairing";
import { forEachBackend } from "@/test/databases";
import { actionDeps, member } from "@/test/channel-action-helpers";
import { startHarness, type Harness } from "@/test/monitor-harness";

forEachBackend("QR re-pair and pause", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs, auth.users cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const actions = (channelId: string) => h.sql<{ kind: string; trigger: string; actor: string; outcome: string }[]>`
    select kind, trigger, actor_user_id::text as actor, outcome from public.channel_actions where channel_id = ${channelId} order by id`;

  it("asks the gateway for a QR, records the request, and the monitor holds back while pairing", async () => {
    const id = await h.addChannel("casa", "logged_out");
    await h.pass();
    expect((await h.status(id)).state).toBe("needs_qr");
    const admin = await member(h, "admin");

    const result = await requestQr(actionDeps(h), admin, id);

    expect(result).toMatchObject({ status: "qr", qr: { count: 1 }, expiresAt: new Date(h.clock.now.getTime() + 180_000).toISOString() });
    if (result.status !== "qr") throw new Error("no QR");
    expect(result.qr.image).toMatch(/^data:image\/png;base64,/);
    expect((await h.status(id)).qr_requested_at).toEqual(h.clock.now);
    expect(await actions(id)).toEqual([{ kind: "qr_request", trigger: "manual", actor: admin.sub, outcome: "ok" }]);

    // Say the channel had been stuck connecting for ten minutes: the monitor would restart it, but not
    // while the pairing it would break is in progress …
    await h.sql`update public.channel_status set state = 'connecting', since = ${new Date(h.clock.now.getTime() - 600_000)}
      where channel_id = ${id}`;
    h.clock.advance(30_000);
    await h.pass();
    expect(h.simulator.stats("casa").calls["POST /instance/restart"]).toBeUndefined();
    expect((await actions(id)).map((a) => a.kind)).toEqual(["qr_request"]);
    // … and once the pairing window is over, it does.
    h.clock.advance(180_000);
    await h.pass();
    expect(h.simulator.stats("casa").calls["POST /instance/restart"]).toBe(1);
  });

  it("polls until the phone has scanned the code, then stores the channel connected", async () => {
    const id = await h.addChannel("casa", "logged_out");
    await h.pass();
    const admin = await member(h, "admin");
    await requestQr(actionDeps(h), admin, id);

    h.clock.advance(3_000);
    expect(await pollQr(actionDeps(h), admin, id)).toMatchObject({ status: "qr" });
    h.simulator.pair("casa");
    h.clock.advance(3_000);
    expect(await pollQr(actionDeps(h), admin, id)).toEqual({ status: "connected" });
    expect((await h.status(id)).state).toBe("connected");

    h.clock.advance(180_000);
    expect(await pollQr(actionDeps(h), admin, id)).toEqual({ status: "expired" });
  });

  it("refuses QR requests and polls from a viewer, writing nothing", async () => {
    const id = await h.addChannel("casa", "logged_out");
    const viewer = await member(h, "viewer");
    expect(await requestQr(actionDeps(h), viewer, id)).toEqual({ status: "forbidden" });
    expect(await pollQr(actionDeps(h), viewer, id)).toEqual({ status: "forbidden" });
    expect(await actions(id)).toEqual([]);
    expect((await h.status(id)).qr_requested_at).toBeNull();
    expect(h.simulator.stats("casa").calls["GET /instance/connect"]).toBeUndefined();
  });

  it("pauses a channel so the monitor skips it, and resumes it due at once", async () => {
    const id = await h.addChannel("recepcao", "healthy");
    await h.pass();
    const admin = await member(h, "admin");

    expect(await setChannelPaused(actionDeps(h), admin, id, true)).toEqual({ status: "done", paused: true, state: "paused" });
    const checksBefore = h.simulator.stats("recepcao").calls["GET /instance/connectionState"];
    h.clock.advance(60_000);
    expect(await h.pass({ all: true })).toMatchObject({ checked: 0 });
    expect(h.simulator.stats("recepcao").calls["GET /instance/connectionState"]).toBe(checksBefore);
    expect((await h.status(id)).state).toBe("paused");

    h.clock.advance(60_000);
    expect(await setChannelPaused(actionDeps(h), admin, id, false)).toEqual({ status: "done", paused: false, state: "connected" });
    expect(h.simulator.stats("recepcao").calls["GET /instance/connectionState"]).toBe(checksBefore + 1);
    const events = await h.sql`select from_state, to_state, source from public.channel_events where channel_id = ${id} order by id`;
    expect(events.map((e) => `${e.from_state}->${e.to_state}:${e.source}`)).toEqual([
      "unknown->connected:monitor", "connected->paused:manual", "paused->unknown:manual", "unknown->connected:monitor",
    ]);
    expect((await actions(id)).map((a) => `${a.kind}:${a.trigger}:${a.actor === admin.sub}`)).toEqual([
      "pause:manual:true", "resume:manual:true",
    ]);
  });

  it("does not let a viewer pause a channel", async () => {
    const id = await h.addChannel("recepcao", "healthy");
    const viewer = await member(h, "viewer");
    expect(await setChannelPaused(actionDeps(h), viewer, id, true)).toEqual({ status: "forbidden" });
    const [channel] = await h.sql`select monitoring_enabled from public.channels where id = ${id}`;
    expect(channel.monitoring_enabled).toBe(true);
    expect((await h.status(id)).state).toBe("unknown");
    expect(await actions(id)).toEqual([]);
  });

  it("refuses the pause function itself to a viewer who calls it directly", async () => {
    const id = await h.addChannel("recepcao", "healthy");
    const viewer = await member(h, "viewer");
    await h.sql`update public.channels set monitoring_enabled = false where id = ${id}`;
    const { runAsUser } = await import("@/lib/db/sessions");
    await expect(runAsUser(h.sql, viewer, (tx) => tx`select public.sync_channel_pause(${id})`)).rejects.toThrow(/only an admin/);
    expect((await h.status(id)).state).toBe("unknown");
  });
});
