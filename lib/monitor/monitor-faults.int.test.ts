import { afterEach, beforeEach, expect, it } from "vitest";
import { forEachBackend } from "@/test/databases";
import { createChannel } from "@/lib/channels/create-channel";
import type { MonitorStore } from "@/lib/monitor/types";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";

/**
 * One bad channel must never stop monitoring: whatever one gateway answers, whatever one tenant's data
 * holds, every other channel is checked and recorded, every lease is freed and the run is finished.
 */
forEachBackend("monitor faults", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  async function healthyChannels(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await h.addChannel(`ok-${i}`, "healthy"));
    return ids;
  }

  async function countBy(condition: "connected" | "leased"): Promise<number> {
    const [{ n }] = condition === "connected"
      ? await h.sql<{ n: number }[]>`select count(*)::int as n from public.channel_status where state = 'connected'`
      : await h.sql<{ n: number }[]>`select count(*)::int as n from public.channel_status where lease_owner is not null`;
    return n;
  }

  it("a gateway answering HTTP 500 with a NUL in its message stops no batch", async () => {
    const healthy = await healthyChannels(24);
    const nul = await h.addChannel("nul", "gateway_down", { downMode: "500" });

    const summary = await h.pass({ batchSize: 5, concurrency: 5 });
    expect(summary).toMatchObject({ ok: true, checked: 25, remaining: 0 });
    expect(await countBy("connected")).toBe(healthy.length);
    expect(await countBy("leased")).toBe(0);
    const status = await h.status(nul);
    expect(status.state).toBe("provider_down");
    const [check] = await h.sql<{ detail: string }[]>`select detail from public.channel_checks where channel_id = ${nul}`;
    expect(check.detail).toContain("HTTP 500");
    expect(check.detail).toContain("invalid byte sequence");
    expect(check.detail).not.toMatch(/[\u0000\uD800]/);
    const [run] = await h.sql`select error, finished_at from public.monitor_runs where id = ${summary.runId}`;
    expect(run).toMatchObject({ error: null, finished_at: expect.any(Date) });
  });

  it("a tenant whose time zone does not exist (Mars/Olympus) stops no other channel, and its own fall back to UTC", async () => {
    const healthy = await healthyChannels(6);
    const [mars] = await h.sql<{ id: string }[]>`
      insert into public.tenants (slug, name, timezone) values ('mars', 'Olympus Inn', 'UTC') returning id`;
    // Stored before time zones were validated: the database holds it whatever the input paths allow now.
    await h.sql`alter table public.tenants drop constraint if exists tenants_timezone_valid`;
    await h.sql`update public.tenants set timezone = 'Mars/Olympus' where id = ${mars.id}`;
    const marsChannels: string[] = [];
    for (const name of ["mars-1", "mars-2"]) {
      h.simulator.addInstance({ name, scenario: "healthy" });
      const input = { tenantId: mars.id, provider: "evolution", gatewayUrl: h.simulator.url, instanceName: name, apiKey: GATEWAY_KEY, displayName: name };
      const channel = await createChannel(h.sql, input, h.secretKey);
      await h.sql`update public.channel_status set next_check_at = ${h.clock.now} where channel_id = ${channel.id}`;
      marsChannels.push(channel.id);
    }

    expect(await h.pass({ batchSize: 3 })).toMatchObject({ checked: 8, remaining: 0 });
    // A second pass accounts the 30 s between the two checks, into the UTC day for Mars.
    h.clock.advance(30_000);
    expect(await h.pass({ batchSize: 3 })).toMatchObject({ checked: 8, remaining: 0 });
    expect(await countBy("connected")).toBe(healthy.length + marsChannels.length);
    const days = await h.sql<{ day: string }[]>`
      select distinct day::text as day from public.channel_uptime_daily where channel_id = any(${marsChannels}::uuid[])`;
    expect(days.map((d) => d.day)).toEqual(["2026-03-01"]);
  });

  it("a row the database refuses is marked on its channel alone; every other channel is written", async () => {
    const healthy = await healthyChannels(11);
    const poisoned = await h.addChannel("poisoned", "healthy");
    // A write failure nobody foresaw, for this one channel only.
    await h.sql.unsafe(`
      create function public.test_refuse_check() returns trigger language plpgsql as $$
      begin raise exception 'refused for the test' using errcode = '22000'; end $$;
      create trigger test_refuse_check before insert on public.channel_checks for each row
        when (new.channel_id = '${poisoned}') execute function public.test_refuse_check();
    `);
    try {
      const summary = await h.pass({ batchSize: 4, concurrency: 4 });
      expect(summary).toMatchObject({ ok: true, checked: 12, remaining: 0 });
      expect(await countBy("connected")).toBe(healthy.length);
      expect(await countBy("leased")).toBe(0);
      const status = await h.status(poisoned);
      // Its state is kept (no new state), its next check moves one interval on, and staff can see why.
      expect(status.state).toBe("unknown");
      expect(String(status.monitor_error)).toContain("refused for the test");
      expect((status.next_check_at as Date).getTime()).toBe(h.clock.now.getTime() + 30_000);
      const [run] = await h.sql`select error from public.monitor_runs where id = ${summary.runId}`;
      expect(run.error).toBeNull();
    } finally {
      await h.sql.unsafe(`drop trigger test_refuse_check on public.channel_checks; drop function public.test_refuse_check();`);
    }
    // Once the database takes the row again, the mark goes away with the next write.
    h.clock.advance(30_000);
    await h.pass();
    expect(await h.status(poisoned)).toMatchObject({ state: "connected", monitor_error: null });
  });

  it("a pass whose claim fails midway writes what it checked, frees every lease and finishes with its error", async () => {
    await healthyChannels(12);
    let claims = 0;
    const store: MonitorStore = {
      ...h.store,
      claimChannels: async (input) => {
        if (++claims === 2) throw new Error("claim refused for the test");
        return h.store.claimChannels(input);
      },
    };
    await expect(h.pass({ batchSize: 5, concurrency: 5 }, { store })).rejects.toThrow("claim refused for the test");
    expect(await countBy("connected")).toBe(5);
    expect(await countBy("leased")).toBe(0);
    const [run] = await h.sql`select error, finished_at, checked from public.monitor_runs`;
    expect(run).toMatchObject({ error: "claim refused for the test", finished_at: expect.any(Date), checked: 5 });
  });

  it("an unexpected exception inside a check becomes that check's outcome, with the state unchanged", async () => {
    const ids = await healthyChannels(3);
    await h.pass();
    h.clock.advance(30_000);
    const real = h.deps().providers.evolution;
    const broken = Object.create(real, {
      webhookEventNames: { get: () => { throw new Error("adapter bug: no event names"); } },
    });
    const summary = await h.pass({}, { providers: { ...h.deps().providers, evolution: broken }, webhookBaseUrl: "https://sentinela.test" });
    expect(summary).toMatchObject({ ok: true, checked: 3, failed: 3 });
    for (const id of ids) {
      const status = await h.status(id);
      expect(status).toMatchObject({ state: "connected", lease_owner: null });
      expect(String(status.monitor_error)).toContain("adapter bug");
    }
  });
});
