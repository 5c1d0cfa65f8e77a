import { afterEach, beforeEach, expect, it } from "vitest";
import { findWebhookChannel } from "@/lib/db/webhook-events";
import { applyWebhookEvent } from "@/lib/webhooks/apply-webhook-event";
import { forEachBackend } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

/** What a real Evolution API 2.3.6 does that a naive monitor misreads (see shared GATEWAYS.md). */
forEachBackend("the monitor reads the real gateway right", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const passes = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await h.pass();
      h.clock.advance(30_000);
    }
  };

  it("a never-paired instance is needs_qr at once and is never restarted nor connected", async () => {
    const id = await h.addChannel("new-line", "never_paired");
    await passes(20);
    expect((await h.status(id)).state).toBe("needs_qr");
    expect((await h.status(id)).reason).toBe("never paired: scan the QR code");
    expect(await h.actions(id)).toEqual([]);
    const calls = h.simulator.stats("new-line").calls;
    expect(calls["POST /instance/restart"] ?? 0).toBe(0);
    expect(calls["GET /instance/connect"] ?? 0).toBe(0);
  });

  it("after a gateway restart a logged-out line stays needs_qr while the gateway shows QR codes, and is not restarted", async () => {
    const id = await h.addChannel("logged-out", "logged_out");
    const healthy = await h.addChannel("healthy", "healthy");
    await passes(2);
    expect((await h.status(id)).state).toBe("needs_qr");
    await h.simulator.restartGateway();
    // Well past the point where a line stuck `connecting` would get a restart.
    await passes(20);
    expect((await h.status(id)).state).toBe("needs_qr");
    expect((await h.status(healthy)).state).toBe("connected");
    expect(await h.actions(id)).toEqual([]);
    expect(h.simulator.stats("logged-out").calls["POST /instance/restart"] ?? 0).toBe(0);
    const events = await h.sql`select to_state from public.channel_events where channel_id = ${id} order by id`;
    expect(events.map((e) => e.to_state)).toEqual(["needs_qr"]);

    // The scan happens: the line comes back at the next check.
    h.simulator.pair("logged-out");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await passes(1);
    expect((await h.status(id)).state).toBe("connected");
  });

  it("a webhook saying `connecting` does not move a needs_qr line either", async () => {
    const id = await h.addChannel("logged-out", "logged_out");
    await passes(1);
    const channel = await findWebhookChannel(h.sql, id);
    if (!channel) throw new Error("channel not found");
    const outcome = await applyWebhookEvent(h.sql, channel, {
      kind: "connection", instance: "logged-out", state: "connecting", occurredAt: new Date(h.clock.now), dedupeKey: "k1",
    }, new Date(h.clock.now));
    expect(outcome).toBe("unchanged");
    expect((await h.status(id)).state).toBe("needs_qr");
    const back = await findWebhookChannel(h.sql, id);
    if (!back) throw new Error("channel not found");
    expect(await applyWebhookEvent(h.sql, back, {
      kind: "connection", instance: "logged-out", state: "open", occurredAt: new Date(h.clock.now.getTime() + 1000), dedupeKey: "k2",
    }, new Date(h.clock.now.getTime() + 1000))).toBe("transition");
    expect((await h.status(id)).state).toBe("connected");
  });
});
