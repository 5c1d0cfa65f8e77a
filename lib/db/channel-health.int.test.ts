import { beforeEach, expect, it } from "vitest";
import { listChannelHealth, listChannelSummaries, listDailyUptimes, listUptimeWindows } from "@/lib/db/channel-health";
import { runAsUser } from "@/lib/db/sessions";
import { dayColor, lastDays, localToday } from "@/lib/format/uptime";
import { forEachBackend } from "@/test/databases";
import { insertChannel, insertMembership, insertTenant, insertUptimeDaily, insertUptimeHourly, type TenantRow } from "@/test/factories";

// 02:00 UTC is still the evening of the 14th in São Paulo (UTC−3): "today" is the 14th there.
const NOW = new Date("2026-01-15T02:00:00.000Z");
const TZ = "America/Sao_Paulo";

forEachBackend("listChannelHealth", (db) => {
  let tenant: TenantRow;
  let viewer: string;

  beforeEach(async () => {
    await db().sql`truncate public.tenants cascade`;
    tenant = await insertTenant(db().sql, { timezone: TZ });
    viewer = (await insertMembership(db().sql, { tenant_id: tenant.id, role: "viewer" })).user_id;
  });

  const read = (userId: string, tenantId = tenant.id) =>
    runAsUser(db().sql, { sub: userId }, (tx) => listChannelHealth(tx, tenantId, NOW, TZ));

  it("sums the last 24 hours from hourly rollups, hour boundary included, older hours not", async () => {
    const channel = await insertChannel(db().sql, { tenant_id: tenant.id }, { status: { state: "connected" } });
    await insertUptimeHourly(db().sql, channel, { hour: new Date("2026-01-15T01:00:00Z"), up_seconds: 3000, down_seconds: 600 });
    await insertUptimeHourly(db().sql, channel, { hour: new Date("2026-01-14T02:00:00Z"), up_seconds: 1800, degraded_seconds: 1800 });
    await insertUptimeHourly(db().sql, channel, { hour: new Date("2026-01-14T01:00:00Z"), up_seconds: 3600 });
    const [row] = await read(viewer);
    expect(row.uptime24h).toEqual({ upSeconds: 4800, observedSeconds: 7200 });
  });

  it("sums 7 and 30 local days from daily rollups, in the tenant's calendar", async () => {
    const channel = await insertChannel(db().sql, { tenant_id: tenant.id });
    const day = (date: string, up: number, down = 0) => insertUptimeDaily(db().sql, channel, { day: date, up_seconds: up, down_seconds: down });
    await day("2026-01-14", 30_000, 2_400); // today, so far: day 1 of every window
    await day("2026-01-08", 80_000, 6_400); // day 7: the last of the 7-day window
    await day("2026-01-07", 86_400); // day 8: 30-day window only
    await day("2025-12-16", 40_000, 46_400); // day 30: the last of the 30-day window
    await day("2025-12-15", 86_400); // day 31: only on the 90-day bar
    await day("2025-10-17", 86_400); // day 90: the bar's first (oldest) day
    await day("2025-10-16", 86_400); // day 91: not read at all
    const [row] = await read(viewer);
    expect(row.uptime7d).toEqual({ upSeconds: 110_000, observedSeconds: 118_800 });
    expect(row.uptime30d).toEqual({ upSeconds: 236_400, observedSeconds: 291_600 });
    expect(row.daily.map((d) => d.day)).toEqual(["2025-10-17", "2025-12-15", "2025-12-16", "2026-01-07", "2026-01-08", "2026-01-14"]);
  });

  it("leaves days without rollups out, and the bar shows them grey", async () => {
    const channel = await insertChannel(db().sql, { tenant_id: tenant.id });
    await insertUptimeDaily(db().sql, channel, { day: "2026-01-12", up_seconds: 86_400 });
    await insertUptimeDaily(db().sql, channel, { day: "2026-01-13", up_seconds: 70_000, down_seconds: 16_400 });
    const [row] = await read(viewer);
    expect(row.daily.map((d) => d.day)).toEqual(["2026-01-12", "2026-01-13"]);
    const bar = lastDays(row.daily, localToday(NOW, TZ)).map(({ data }) => dayColor(data));
    expect(bar).toHaveLength(90);
    expect(bar.slice(-3)).toEqual(["green", "red", "grey"]);
    expect(bar.filter((color) => color === "grey")).toHaveLength(88);
    expect(row.uptime24h).toEqual({ upSeconds: 0, observedSeconds: 0 });
  });

  it("reads the days and windows of the channels asked for only (one page of /channels), and summaries without days", async () => {
    const [a, b] = [await insertChannel(db().sql, { tenant_id: tenant.id }), await insertChannel(db().sql, { tenant_id: tenant.id })];
    for (const channel of [a, b]) await insertUptimeDaily(db().sql, channel, { day: "2026-01-13", up_seconds: 86_400 });
    const { summaries, days, windows, none } = await runAsUser(db().sql, { sub: viewer }, async (tx) => ({
      summaries: await listChannelSummaries(tx, tenant.id, NOW, TZ),
      days: await listDailyUptimes(tx, tenant.id, [b.id], NOW, TZ),
      windows: await listUptimeWindows(tx, tenant.id, [b.id], NOW, TZ),
      none: await listDailyUptimes(tx, tenant.id, [], NOW, TZ),
    }));
    expect(summaries.map((s) => [s.id, s.uptime7d.upSeconds, "daily" in s])).toEqual(
      expect.arrayContaining([[a.id, 86_400, false], [b.id, 86_400, false]]),
    );
    expect([...days.keys()]).toEqual([b.id]);
    expect(days.get(b.id)?.map((d) => d.day)).toEqual(["2026-01-13"]);
    expect([...windows.keys()]).toEqual([b.id]);
    expect(windows.get(b.id)?.uptime30d).toEqual({ upSeconds: 86_400, observedSeconds: 86_400 });
    expect(none.size).toBe(0);
  });

  it("reports a channel without a status row as unknown since its creation", async () => {
    const channel = await insertChannel(db().sql, { tenant_id: tenant.id });
    await db().sql`delete from public.channel_status where channel_id = ${channel.id}`;
    const [row] = await read(viewer);
    expect(row).toMatchObject({ id: channel.id, state: "unknown", since: channel.created_at, lastCheckedAt: null });
  });

  it("shows another tenant's channels to nobody outside it, whatever tenant id is asked for", async () => {
    await insertChannel(db().sql, { tenant_id: tenant.id });
    const other = await insertTenant(db().sql);
    const outsider = (await insertMembership(db().sql, { tenant_id: other.id })).user_id;
    expect(await read(outsider)).toEqual([]);
    expect(await read(viewer)).toHaveLength(1);
  });
});
