import { beforeAll, expect, it } from "vitest";
import type { Sql, Tx } from "@/lib/db/client";
import { runAsUser } from "@/lib/db/sessions";
import { forEachBackend } from "@/test/databases";
import {
  FIXTURE_NOW,
  insertChannel,
  insertChannelAction,
  insertChannelCheck,
  insertChannelEvent,
  insertMembership,
  insertMonitorRun,
  insertPlatformAdmin,
  insertTenant,
  insertUptimeDaily,
  insertUptimeHourly,
  insertUser,
  type ChannelRow,
  type TenantRow,
} from "@/test/factories";

/** Every table that carries tenant data, with the column that says whose it is. */
const TENANT_TABLES = [
  ["tenants", "id"],
  ["memberships", "tenant_id"],
  ["channels", "tenant_id"],
  ["channel_status", "tenant_id"],
  ["channel_events", "tenant_id"],
  ["channel_checks", "tenant_id"],
  ["channel_uptime_hourly", "tenant_id"],
  ["channel_uptime_daily", "tenant_id"],
  ["channel_actions", "tenant_id"],
] as const;

const PERMISSION_DENIED = { code: "42501" };

interface World {
  tenantA: TenantRow;
  tenantB: TenantRow;
  channelA: ChannelRow;
  channelB: ChannelRow;
  viewerA: string;
  adminA: string;
  adminB: string;
  staff: string;
}

async function seedTenant(sql: Sql, label: string) {
  const tenant = await insertTenant(sql, { slug: `tenant-${label}`, name: `Tenant ${label}` });
  const channel = await insertChannel(sql, { tenant_id: tenant.id }, { status: { state: "connected" } });
  await insertChannelEvent(sql, channel);
  await insertChannelCheck(sql, channel);
  await insertUptimeHourly(sql, channel);
  await insertUptimeDaily(sql, channel);
  await insertChannelAction(sql, channel);
  const viewer = await insertMembership(sql, { tenant_id: tenant.id, role: "viewer" });
  const admin = await insertMembership(sql, { tenant_id: tenant.id, role: "admin" });
  return { tenant, channel, viewer: viewer.user_id, admin: admin.user_id };
}

async function seedWorld(sql: Sql): Promise<World> {
  const a = await seedTenant(sql, "a");
  const b = await seedTenant(sql, "b");
  const staff = await insertPlatformAdmin(sql);
  await insertMonitorRun(sql);
  return {
    tenantA: a.tenant,
    tenantB: b.tenant,
    channelA: a.channel,
    channelB: b.channel,
    viewerA: a.viewer,
    adminA: a.admin,
    adminB: b.admin,
    staff: staff.user_id,
  };
}

/** Tenant ids of every row `table` shows to whoever runs the transaction. */
async function visibleTenantIds(tx: Tx | Sql, table: string, column: string): Promise<string[]> {
  const rows = await tx<{ owner: string }[]>`select ${tx(column)} as owner from ${tx("public." + table)}`;
  return rows.map((row) => row.owner);
}

async function countRows(tx: Tx | Sql, table: string): Promise<number> {
  const [{ count }] = await tx<{ count: number }[]>`select count(*)::int as count from ${tx("public." + table)}`;
  return count;
}

const as = <T>(sql: Sql, userId: string, fn: (tx: Tx) => Promise<T>) => runAsUser(sql, { sub: userId }, fn);

forEachBackend("row-level security", (db) => {
  let world: World;
  beforeAll(async () => {
    world = await seedWorld(db().sql);
  });

  it("is enabled on every table in public", async () => {
    const tables = await db().sql<{ tablename: string; rowsecurity: boolean }[]>`
      select tablename, rowsecurity from pg_tables where schemaname = 'public' order by tablename
    `;
    expect(tables.length).toBeGreaterThanOrEqual(TENANT_TABLES.length + 3);
    expect(tables.filter((table) => !table.rowsecurity).map((table) => table.tablename)).toEqual([]);
  });

  it.each(TENANT_TABLES)("shows a member of tenant A only tenant A's rows in %s", async (table, column) => {
    const owners = await as(db().sql, world.viewerA, (tx) => visibleTenantIds(tx, table, column));
    expect(owners.length).toBeGreaterThan(0);
    expect(owners.filter((owner) => owner !== world.tenantA.id)).toEqual([]);
  });

  it.each(TENANT_TABLES)("shows a platform admin every row of %s", async (table) => {
    const total = await countRows(db().sql, table);
    const seen = await as(db().sql, world.staff, (tx) => countRows(tx, table));
    expect(seen).toBe(total);
    expect(seen).toBeGreaterThan(0);
  });

  it("shows a user with no membership nothing", async () => {
    const stranger = await insertUser(db().sql);
    for (const [table] of TENANT_TABLES) {
      expect(await as(db().sql, stranger.id, (tx) => countRows(tx, table)), table).toBe(0);
    }
  });

  it("lets a viewer neither update a channel nor record an action", async () => {
    const { sql } = db();
    const updated = await as(sql, world.viewerA, (tx) =>
      tx`update public.channels set display_name = 'renamed by viewer' where id = ${world.channelA.id}`,
    );
    expect(updated.count).toBe(0);
    const [channel] = await sql`select display_name from public.channels where id = ${world.channelA.id}`;
    expect(channel.display_name).toBe(world.channelA.display_name);

    await expect(
      as(sql, world.viewerA, (tx) => tx`
        insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, outcome)
        values (${world.channelA.id}, ${world.tenantA.id}, 'reconnect', 'manual', ${world.viewerA}, 'ok')
      `),
    ).rejects.toMatchObject(PERMISSION_DENIED);
  });

  it("lets an admin update their channel and record a manual action, in their tenant only", async () => {
    const { sql } = db();
    const updated = await as(sql, world.adminA, (tx) =>
      tx`update public.channels set check_interval_seconds = 60 where id = ${world.channelA.id}`,
    );
    expect(updated.count).toBe(1);
    const inserted = await as(sql, world.adminA, (tx) => tx`
      insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, outcome, requested_at)
      values (${world.channelA.id}, ${world.tenantA.id}, 'restart', 'manual', ${world.adminA}, 'ok', ${FIXTURE_NOW})
      returning id
    `);
    expect(inserted).toHaveLength(1);

    const crossTenant = await as(sql, world.adminA, (tx) =>
      tx`update public.channels set check_interval_seconds = 60 where id = ${world.channelB.id}`,
    );
    expect(crossTenant.count).toBe(0);
    await expect(
      as(sql, world.adminA, (tx) => tx`
        insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, outcome)
        values (${world.channelB.id}, ${world.tenantB.id}, 'restart', 'manual', ${world.adminA}, 'ok')
      `),
    ).rejects.toMatchObject(PERMISSION_DENIED);
  });

  it.each(["viewerA", "adminA", "staff"] as const)("refuses API key ciphertext to %s", async (who) => {
    await expect(
      as(db().sql, world[who], (tx) => tx`select api_key_ciphertext from public.channel_secrets`),
    ).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(
      as(db().sql, world[who], (tx) => tx`select * from public.channel_secrets`),
    ).rejects.toMatchObject(PERMISSION_DENIED);
  });

  it("shows an admin only the keys of their own tenant's secrets", async () => {
    const rows = await as(db().sql, world.adminA, (tx) => tx`select channel_id, tenant_id from public.channel_secrets`);
    expect(rows.map((row) => ({ ...row }))).toEqual([{ channel_id: world.channelA.id, tenant_id: world.tenantA.id }]);
    const viewerRows = await as(db().sql, world.viewerA, (tx) => tx`select channel_id from public.channel_secrets`);
    expect(viewerRows).toHaveLength(0);
  });

  it("reads API key ciphertext on the service path", async () => {
    const rows = await db().sql<{ api_key_ciphertext: string }[]>`
      select api_key_ciphertext from public.channel_secrets
    `;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((row) => row.api_key_ciphertext.startsWith("dummy-ciphertext-"))).toBe(true);
  });

  it("shows monitor runs to platform admins only, but the last pass to everyone", async () => {
    const { sql } = db();
    expect(await as(sql, world.viewerA, (tx) => countRows(tx, "monitor_runs"))).toBe(0);
    expect(await as(sql, world.adminA, (tx) => countRows(tx, "monitor_runs"))).toBe(0);
    expect(await as(sql, world.staff, (tx) => countRows(tx, "monitor_runs"))).toBe(1);
    for (const who of [world.viewerA, world.adminB, world.staff]) {
      const [{ last }] = await as(sql, who, (tx) => tx<{ last: Date | null }[]>`select public.monitor_last_pass() as last`);
      expect(last?.toISOString()).toBe(FIXTURE_NOW.toISOString());
    }
  });
});
