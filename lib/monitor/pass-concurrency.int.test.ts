import { performance } from "node:perf_hooks";
import { afterEach, beforeEach, expect, it } from "vitest";
import { forEachBackend } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

forEachBackend("monitor passes running at once", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
  });
  afterEach(async () => h.stop());

  it("two concurrent passes over 500 channels check each channel exactly once", async () => {
    // A generous gateway timeout, as below: on a loaded 2-core machine 100 requests at once can take
    // seconds; a timed-out check is still one check, but it would not read as connected.
    h = await startHarness(db().sql, { timeoutMs: 15_000 });
    const names = Array.from({ length: 500 }, (_, i) => `inst-${i}`);
    for (const name of names) await h.addChannel(name, "healthy", { latencyMs: 5 });

    const [a, b] = await Promise.all([h.pass({ batchSize: 100 }), h.pass({ batchSize: 100 })]);
    expect(a.checked + b.checked).toBe(500);
    expect(a.remaining + b.remaining).toBe(0);
    const perInstance = names.map((name) => h.simulator.stats(name).calls["GET /instance/connectionState"] ?? 0);
    expect(perInstance.filter((n) => n !== 1)).toEqual([]);
    const [{ n }] = await h.sql<{ n: number }[]>`select count(*)::int as n from public.channel_status where state = 'connected'`;
    expect(n).toBe(500);
  }, 120_000);

  it("eight overlapping passes over 240 channels: zero double checks, zero leases left", async () => {
    // A generous gateway timeout: on a loaded machine 80 requests at once can take seconds, and a timed-out
    // check is still one check, but it would not read as connected.
    h = await startHarness(db().sql, { timeoutMs: 15_000 });
    const names = Array.from({ length: 240 }, (_, i) => `ov-${i}`);
    for (const name of names) await h.addChannel(name, "healthy", { latencyMs: 5 });

    // Started 10 ms apart, so claims interleave with other passes' checks and writes.
    const passes = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, i * 10)).then(() => h.pass({ batchSize: 10, concurrency: 10 }))));
    expect(passes.reduce((sum, p) => sum + p.checked, 0)).toBe(240);
    const perInstance = names.map((name) => h.simulator.stats(name).calls["GET /instance/connectionState"] ?? 0);
    expect(perInstance.filter((n) => n !== 1)).toEqual([]);
    const [{ leased, connected }] = await h.sql<{ leased: number; connected: number }[]>`
      select count(*) filter (where lease_owner is not null)::int as leased,
        count(*) filter (where state = 'connected')::int as connected from public.channel_status`;
    expect({ leased, connected }).toEqual({ leased: 0, connected: 240 });
    const runs = await h.sql`select error from public.monitor_runs where finished_at is null or error is not null`;
    expect(runs).toHaveLength(0);
  }, 120_000);

  it("one channel hanging until its timeout delays no other channel by more than that timeout", async () => {
    const timeoutMs = 1000;
    h = await startHarness(db().sql, { timeoutMs });
    await h.addChannel("hangs", "gateway_down", { downMode: "hang" });
    for (let i = 0; i < 12; i++) await h.addChannel(`quick-${i}`, "healthy", { latencyMs: 50 });

    // Concurrency 3: a serial queue would put every quick channel behind the hanging one.
    const started = performance.now();
    const summary = await h.pass({ concurrency: 3 });
    const elapsed = performance.now() - started;
    expect(summary).toMatchObject({ checked: 13, failed: 1 });
    // Ideal without the hang: 12 × 50 ms ÷ 3 ≈ 200 ms. The hang may add at most one timeout.
    expect(elapsed).toBeLessThan(200 + timeoutMs + 1500);
    const [hung] = await h.sql`select state from public.channel_status s join public.channels c on c.id = s.channel_id
      where c.instance_name = 'hangs'`;
    expect(hung.state).toBe("provider_down");
  }, 60_000);
});
