import { beforeAll, expect, it } from "vitest";
import type { Tx } from "@/lib/db/client";
import { needsAttention } from "@/lib/channels/needs-attention";
import { countStatesByTenant, listPassDurations, listRecentPasses, listWorstChannels } from "@/lib/db/fleet";
import { runAsUser } from "@/lib/db/sessions";
import { forEachBackend } from "@/test/databases";
import {
  insertChannel,
  insertMembership,
  insertMonitorRun,
  insertPlatformAdmin,
  insertTenant,
  insertUptimeDaily,
  type ChannelRow,
  type ChannelState,
  type TenantRow,
} from "@/test/factories";

const NOW = new Date("2026-01-15T12:00:00.000Z");

interface World {
  alpha: TenantRow;
  beta: TenantRow;
  empty: TenantRow;
  channels: Record<string, ChannelRow>;
  staff: string;
  viewerAlpha: string;
}

forEachBackend("fleet queries", (db) => {
  let world: World;

  beforeAll(async () => {
    const sql = db().sql;
    const alpha = await insertTenant(sql, { name: "Alpha", timezone: "America/Sao_Paulo" });
    const beta = await insertTenant(sql, { name: "Beta", timezone: "Europe/Lisbon" });
    const empty = await insertTenant(sql, { name: "Gamma (no channels)" });
    const channel = async (tenant: TenantRow, name: string, state: ChannelState, since = NOW) =>
      insertChannel(sql, { tenant_id: tenant.id, display_name: name }, { status: { state, since } });
    const channels = {
      alphaOk: await channel(alpha, "alpha ok", "connected"),
      alphaFlaky: await channel(alpha, "alpha flaky", "connected"),
      alphaQr: await channel(alpha, "alpha qr", "needs_qr"),
      betaOk: await channel(beta, "beta ok", "connected"),
      betaDown: await channel(beta, "beta down long", "disconnected", new Date("2026-01-10T00:00:00Z")),
      betaDownNew: await channel(beta, "beta down new", "disconnected", new Date("2026-01-15T11:00:00Z")),
      betaPaused: await channel(beta, "beta paused", "paused"),
      betaPausedBroken: await channel(beta, "beta paused, not recordable", "paused"),
    };
    await sql`update public.channel_status set monitor_error = 'value too long' where channel_id = ${channels.betaPausedBroken.id}`;
    await insertUptimeDaily(sql, channels.alphaOk, { day: "2026-01-14", up_seconds: 86_400 });
    await insertUptimeDaily(sql, channels.alphaFlaky, { day: "2026-01-14", up_seconds: 43_200, down_seconds: 43_200 });
    // Eight local days back: outside the week, so it must not drag alpha ok's ratio down.
    await insertUptimeDaily(sql, channels.alphaOk, { day: "2026-01-07", down_seconds: 86_400 });
    for (let i = 0; i < 60; i++) {
      const finished = new Date(NOW.getTime() - i * 30_000);
      await insertMonitorRun(sql, {
        started_at: new Date(finished.getTime() - 1_000 - i), finished_at: finished, duration_ms: 1_000 + i,
        checked: 7, error: i === 5 ? "database went away" : null,
      });
    }
    await insertMonitorRun(sql, { started_at: new Date(NOW.getTime() - 26 * 3_600_000), duration_ms: 99_999 });
    const staff = (await insertPlatformAdmin(sql)).user_id;
    const viewerAlpha = (await insertMembership(sql, { tenant_id: alpha.id, role: "viewer" })).user_id;
    world = { alpha, beta, empty, channels, staff, viewerAlpha };
  });

  const as = <T>(userId: string, fn: (tx: Tx) => Promise<T>) => runAsUser(db().sql, { sub: userId }, fn);

  it("counts channels per state for every tenant, for platform staff", async () => {
    const counts = await as(world.staff, countStatesByTenant);
    expect(counts.map((t) => [t.name, t.total])).toEqual([["Alpha", 3], ["Beta", 5], ["Gamma (no channels)", 0]]);
    expect(counts[0].byState).toMatchObject({ connected: 2, needs_qr: 1, disconnected: 0 });
    expect(counts[1].byState).toMatchObject({ connected: 1, disconnected: 2, paused: 2, needs_qr: 0 });
    expect(Object.values(counts[2].byState).every((n) => n === 0)).toBe(true);
  });

  it("lists only the channels that need someone, worst first: monitor errors, state, last week's uptime, how long", async () => {
    const worst = await as(world.staff, (tx) => listWorstChannels(tx, { now: NOW }));
    const c = world.channels;
    // Left out: connected with a green week (alpha ok) or no figure yet (beta ok), and paused (beta paused).
    expect(worst.map((w) => w.id)).toEqual([c.betaPausedBroken.id, c.alphaQr.id, c.betaDown.id, c.betaDownNew.id, c.alphaFlaky.id]);
    expect(worst.find((w) => w.id === c.alphaFlaky.id)).toMatchObject({ upSeconds7d: 43_200, observedSeconds7d: 86_400, tenantName: "Alpha" });
    // The SQL filter is needsAttention: the same verdict for every channel it returns.
    expect(worst.every(needsAttention)).toBe(true);
    expect(await as(world.staff, (tx) => listWorstChannels(tx, { now: NOW, limit: 2 }))).toHaveLength(2);
  });

  it("lists the latest passes newest first, and buckets their durations", async () => {
    const passes = await as(world.staff, (tx) => listRecentPasses(tx));
    expect(passes).toHaveLength(50);
    expect(passes[0]).toMatchObject({ durationMs: 1_000, checked: 7, error: null });
    expect(passes[5].error).toBe("database went away");
    expect(passes.every((p, i) => i === 0 || p.startedAt <= passes[i - 1].startedAt)).toBe(true);

    const { firstPassAt, buckets } = await as(world.staff, (tx) => listPassDurations(tx, { now: NOW, hours: 24, bucketMinutes: 15 }));
    // Monitoring began 26 hours ago, before the window: every bucket of the 24 hours counts.
    expect(firstPassAt).toEqual(new Date(NOW.getTime() - 26 * 3_600_000));
    expect(buckets).toHaveLength(96);
    expect(buckets.at(-1)?.at).toEqual(NOW);
    // The 60 passes started in the half hour before NOW: the 11:30 and 11:45 buckets; the 26-hour-old one is out.
    const busy = buckets.filter((b) => b.passes > 0);
    expect(busy.map((b) => b.at.toISOString())).toEqual(["2026-01-15T11:30:00.000Z", "2026-01-15T11:45:00.000Z"]);
    expect(busy.map((b) => b.passes).reduce((a, b) => a + b, 0)).toBe(60);
    expect(busy.map((b) => b.errors).reduce((a, b) => a + b, 0)).toBe(1);
    expect(Math.max(...busy.map((b) => b.maxMs ?? 0))).toBe(1_059);
    expect(buckets.filter((b) => b.passes === 0).every((b) => b.avgMs === null && b.maxMs === null)).toBe(true);
  });

  it("gives a tenant viewer their own tenant only and no monitor passes at all", async () => {
    const counts = await as(world.viewerAlpha, countStatesByTenant);
    expect(counts.map((t) => t.tenantId)).toEqual([world.alpha.id]);
    const worst = await as(world.viewerAlpha, (tx) => listWorstChannels(tx, { now: NOW }));
    expect(new Set(worst.map((w) => w.tenantName))).toEqual(new Set(["Alpha"]));
    expect(worst).toHaveLength(2);
    expect(await as(world.viewerAlpha, (tx) => listRecentPasses(tx))).toEqual([]);
    expect(await as(world.viewerAlpha, (tx) => listPassDurations(tx, { now: NOW }))).toEqual({ firstPassAt: null, buckets: [] });
  });
});
