import { beforeEach, expect, it } from "vitest";
import { getChannelDetail, loadChannelHistory } from "@/lib/db/channel-detail";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import { forEachBackend } from "@/test/databases";
import {
  FIXTURE_NOW, insertChannel, insertChannelAction, insertChannelCheck, insertChannelEvent, insertMembership,
  insertUptimeDaily, insertUptimeHourly, insertUser,
} from "@/test/factories";

forEachBackend("channel detail queries", (db) => {
  beforeEach(async () => {
    await db().sql`truncate public.tenants, auth.users cascade`;
  });

  const as = (claims: VerifiedClaims) => <T>(fn: Parameters<typeof runAsUser<T>>[2]) => runAsUser(db().sql, claims, fn);

  it("reads a channel and its history through RLS, with who acted", async () => {
    const { sql } = db();
    const channel = await insertChannel(sql, {}, { status: { state: "disconnected", reason: "connection closed" } });
    const viewer = await insertMembership(sql, { tenant_id: channel.tenant_id, role: "viewer" });
    const actor = await insertUser(sql, { email: "bruno@example.test" });
    await insertChannelAction(sql, channel, { trigger: "manual", actor_user_id: actor.id, requested_at: FIXTURE_NOW });
    await insertChannelAction(sql, channel, { requested_at: new Date(FIXTURE_NOW.getTime() - 60_000) });
    await insertChannelEvent(sql, channel, { from_state: "connected", to_state: "disconnected", occurred_at: FIXTURE_NOW });
    for (let i = 0; i < 25; i++) await insertChannelCheck(sql, channel, { checked_at: new Date(FIXTURE_NOW.getTime() - i * 30_000) });
    await insertUptimeDaily(sql, channel, { day: "2026-01-14" });
    await insertUptimeDaily(sql, channel, { day: "2025-09-01" });
    await insertUptimeHourly(sql, channel, { hour: new Date("2026-01-15T11:00:00Z"), latency_sum_ms: 1000, latency_count: 4, latency_max_ms: 400 });
    await insertUptimeHourly(sql, channel, { hour: new Date("2026-01-01T11:00:00Z"), latency_sum_ms: 1000, latency_count: 4 });

    const claims = { sub: viewer.user_id, role: "authenticated" };
    const result = await as(claims)(async (tx) => {
      const detail = await getChannelDetail(tx, channel.id);
      return detail && { detail, history: await loadChannelHistory(tx, detail, FIXTURE_NOW) };
    });
    if (!result) throw new Error("channel not visible");
    expect(result.detail).toMatchObject({ state: "disconnected", reason: "connection closed", canManage: false });
    const { history } = result;
    expect(history.actions.map((a) => [a.trigger, a.actorEmail])).toEqual([["manual", "bruno@example.test"], ["monitor", null]]);
    expect(history.transitions.map((e) => e.toState)).toEqual(["disconnected"]);
    expect(history.checks).toHaveLength(20);
    expect(history.checks[0].checkedAt).toEqual(FIXTURE_NOW);
    expect(history.daily.map((d) => d.day)).toEqual(["2026-01-14"]);
    expect(history.hourly.map((h) => [h.avgMs, h.maxMs])).toEqual([[250, 400]]);
  });

  it("does not show another tenant's channel, nor who acted on it", async () => {
    const { sql } = db();
    const channel = await insertChannel(sql);
    const actor = await insertUser(sql, { email: "someone@example.test" });
    await insertChannelAction(sql, channel, { trigger: "manual", actor_user_id: actor.id });
    const stranger = await insertMembership(sql, { role: "admin" });
    const claims = { sub: stranger.user_id, role: "authenticated" };
    expect(await as(claims)((tx) => getChannelDetail(tx, channel.id))).toBeNull();
    expect(await as(claims)((tx) => tx`select * from public.channel_action_actors(${channel.id})`)).toHaveLength(0);
    expect(await as(claims)((tx) => tx`select * from auth.users`).catch((error: Error) => error.message)).toMatch(/permission denied/);
  });
});
