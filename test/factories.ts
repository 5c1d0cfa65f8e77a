import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";

/**
 * Fixture factories: each inserts one valid row through the service path (so RLS does not apply) and
 * returns it as stored. Anything not overridden gets a unique or sensible default, so a test spells out
 * only what it is about. Column names are the tables' own, as postgres.js returns them.
 */

/** The instant fixtures are stamped with unless a test says otherwise. */
export const FIXTURE_NOW = new Date("2026-01-15T12:00:00.000Z");

export interface UserRow {
  id: string;
  email: string | null;
  created_at: Date;
}

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  created_at: Date;
}

export interface MembershipRow {
  tenant_id: string;
  user_id: string;
  role: "viewer" | "admin";
  created_at: Date;
}

export interface PlatformAdminRow {
  user_id: string;
  created_at: Date;
}

export interface ChannelRow {
  id: string;
  tenant_id: string;
  provider: "evolution";
  display_name: string;
  phone_number: string | null;
  /** The tenant's own gateway for gateway_url unless given: the database binds it (gateways migration). */
  gateway_id: string;
  gateway_url: string;
  instance_name: string;
  uses_gateway_key: boolean;
  monitoring_enabled: boolean;
  check_interval_seconds: number;
  webhook_enabled: boolean;
  webhook_events: string[];
  webhook_downstream_url: string | null;
  silence_threshold_seconds: number | null;
  created_at: Date;
  updated_at: Date;
}

export type ChannelState =
  | "connected" | "connecting" | "disconnected" | "needs_qr" | "replaced"
  | "provider_down" | "misconfigured" | "paused" | "unknown";

export interface ChannelStatusRow {
  channel_id: string;
  tenant_id: string;
  state: ChannelState;
  reason: string | null;
  since: Date;
  last_checked_at: Date | null;
  next_check_at: Date;
  latency_ms: number | null;
  pending_state: ChannelState | null;
  pending_reason: string | null;
  pending_since: Date | null;
  reconnect_attempt: number;
  next_reconnect_at: Date | null;
  recent_reconnects: Date[];
  qr_requested_at: Date | null;
  last_event_at: Date | null;
  webhook_checked_at: Date | null;
  last_check_recorded_at: Date | null;
  accounted_until: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  updated_at: Date;
}

/** A row of any monitoring table; the factories below type only what they fill in. */
export type Row = Record<string, unknown>;
type ChannelRef = Pick<ChannelRow, "id" | "tenant_id">;

let sequence = 0;
const next = () => `${++sequence}-${randomUUID().slice(0, 8)}`;

function withoutUndefined(row: Row): Row {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));
}

async function insertRow<T>(db: Db, table: string, row: Row): Promise<T> {
  const [inserted] = await db`insert into ${db(table)} ${db(withoutUndefined(row))} returning *`;
  return inserted as T;
}

export function insertUser(db: Db, overrides: Partial<UserRow> = {}): Promise<UserRow> {
  const id = overrides.id ?? randomUUID();
  return insertRow(db, "auth.users", { email: `user-${id}@example.test`, ...overrides, id });
}

export function insertTenant(db: Db, overrides: Partial<TenantRow> = {}): Promise<TenantRow> {
  const suffix = next();
  return insertRow(db, "public.tenants", { slug: `tenant-${suffix}`, name: `Tenant ${suffix}`, ...overrides });
}

/** Creates the user (and the tenant) too when the overrides do not name one. */
export async function insertMembership(db: Db, overrides: Partial<MembershipRow> = {}): Promise<MembershipRow> {
  const tenant_id = overrides.tenant_id ?? (await insertTenant(db)).id;
  const user_id = overrides.user_id ?? (await insertUser(db)).id;
  return insertRow(db, "public.memberships", { role: "viewer", ...overrides, tenant_id, user_id });
}

export async function insertPlatformAdmin(
  db: Db,
  overrides: Partial<PlatformAdminRow> = {},
): Promise<PlatformAdminRow> {
  const user_id = overrides.user_id ?? (await insertUser(db)).id;
  return insertRow(db, "public.platform_admins", { ...overrides, user_id });
}

export interface ChannelExtras {
  status?: Partial<ChannelStatusRow>;
  /** Stored as is: a dummy by default, since only the app holds CHANNEL_SECRET_KEY. */
  apiKeyCiphertext?: string;
}

/**
 * A channel as the CLI creates it: the channel row, its status row and its secrets row. Creates the
 * tenant too when the overrides do not name one.
 */
export async function insertChannel(
  db: Db,
  overrides: Partial<ChannelRow> = {},
  extras: ChannelExtras = {},
): Promise<ChannelRow> {
  const tenant_id = overrides.tenant_id ?? (await insertTenant(db)).id;
  const suffix = next();
  const channel = await insertRow<ChannelRow>(db, "public.channels", {
    display_name: `Channel ${suffix}`,
    gateway_url: "http://127.0.0.1:8080",
    instance_name: `instance-${suffix}`,
    ...overrides,
    tenant_id,
  });
  // The schedule's columns live in channel_schedule (a row comes with every status row).
  const { next_check_at, last_checked_at, lease_owner, ...status } = extras.status ?? {};
  delete status.lease_until;
  await insertRow(db, "public.channel_status", {
    since: FIXTURE_NOW,
    ...status,
    channel_id: channel.id,
    tenant_id,
  });
  await db`update public.channel_schedule set next_check_at = ${next_check_at ?? FIXTURE_NOW},
    last_checked_at = ${last_checked_at ?? null}, lease_owner = ${lease_owner ?? null} where channel_id = ${channel.id}`;
  await insertRow(db, "public.channel_secrets", {
    channel_id: channel.id,
    tenant_id,
    api_key_ciphertext: extras.apiKeyCiphertext ?? `dummy-ciphertext-${suffix}`,
  });
  return channel;
}

export function insertChannelEvent(db: Db, channel: ChannelRef, overrides: Row = {}): Promise<Row> {
  return insertRow(db, "public.channel_events", {
    from_state: "unknown",
    to_state: "connected",
    source: "monitor",
    occurred_at: FIXTURE_NOW,
    ...overrides,
    channel_id: channel.id,
    tenant_id: channel.tenant_id,
  });
}

export function insertChannelCheck(db: Db, channel: ChannelRef, overrides: Row = {}): Promise<Row> {
  return insertRow(db, "public.channel_checks", {
    checked_at: FIXTURE_NOW,
    state: "connected",
    gateway_state: "open",
    latency_ms: 120,
    ...overrides,
    channel_id: channel.id,
    tenant_id: channel.tenant_id,
  });
}

export function insertUptimeHourly(db: Db, channel: ChannelRef, overrides: Row = {}): Promise<Row> {
  return insertRow(db, "public.channel_uptime_hourly", {
    hour: new Date("2026-01-15T11:00:00.000Z"),
    up_seconds: 3600,
    checks: 120,
    ...overrides,
    channel_id: channel.id,
    tenant_id: channel.tenant_id,
  });
}

export function insertUptimeDaily(db: Db, channel: ChannelRef, overrides: Row = {}): Promise<Row> {
  return insertRow(db, "public.channel_uptime_daily", {
    day: "2026-01-14",
    up_seconds: 86_400,
    checks: 2880,
    ...overrides,
    channel_id: channel.id,
    tenant_id: channel.tenant_id,
  });
}

export function insertChannelAction(db: Db, channel: ChannelRef, overrides: Row = {}): Promise<Row> {
  return insertRow(db, "public.channel_actions", {
    kind: "reconnect",
    trigger: "monitor",
    requested_at: FIXTURE_NOW,
    outcome: "ok",
    ...overrides,
    channel_id: channel.id,
    tenant_id: channel.tenant_id,
  });
}

export function insertMonitorRun(db: Db, overrides: Row = {}): Promise<Row> {
  return insertRow(db, "public.monitor_runs", {
    trigger: "cron",
    started_at: new Date(FIXTURE_NOW.getTime() - 2_000),
    finished_at: FIXTURE_NOW,
    duration_ms: 2_000,
    ...overrides,
  });
}
