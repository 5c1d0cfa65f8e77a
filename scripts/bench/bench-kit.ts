import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { ParseArgsConfig } from "node:util";
import { encryptSecret } from "@/lib/crypto/secret-box";
import type { Sql } from "@/lib/db/client";
import { startThrowawayCluster, type ThrowawayCluster } from "@/test/pg-cluster";

/**
 * What every section of `npm run bench` shares (scripts/bench/bench.ts lists the sections): a throwaway
 * PostgreSQL 15+ cluster configured like Supabase's, a fleet of simulated gateways in a process of their
 * own, channels spread over them, and the meters (app and PostgreSQL CPU, WAL, database size, rows).
 */

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Uptime Kuma 2.5.3, measured once side by side (issue 13): fixed references, never re-measured here. */
export const UPTIME_KUMA = {
  version: "2.5.3",
  cpuMsPerCheck: 3.41,
  diskWriteKbPerCheck: 40.1,
  dataKeptBytesPerCheck: 166,
} as const;

export type BenchArgs = Record<string, string | boolean | (string | boolean)[] | undefined>;
export type BenchOptions = NonNullable<ParseArgsConfig["options"]>;

/** One printed line of a section: our figure, Kuma's when there is one, and the goal it is held to. */
export interface ResultRow {
  metric: string;
  sentinela: string;
  kuma?: string;
  goal?: string;
  /** Whether the goal is met; absent when the row has no goal. */
  ok?: boolean;
}

export interface BenchSection {
  /** What `--only` names. */
  name: string;
  title: string;
  /** The flags this section reads, with their defaults (all sections' flags share one namespace). */
  options: BenchOptions;
  run(args: BenchArgs, log: (line: string) => void): Promise<ResultRow[]>;
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * A throwaway cluster set up as Supabase runs PostgreSQL where it matters for writes: wal_level logical
 * (every updated row's full new version goes to the WAL; no prefix/suffix compression) and full page
 * writes on. Checkpoints are left to the caller (CHECKPOINT at the cadence it simulates), autovacuum is
 * off unless asked for (growth is measured without VACUUM's help), pg_stat_statements counts statements.
 */
export async function startBenchCluster(settings: Record<string, string> = {}): Promise<ThrowawayCluster> {
  return startThrowawayCluster({
    shared_preload_libraries: "pg_stat_statements",
    "pg_stat_statements.track": "top",
    wal_level: "logical",
    full_page_writes: "on",
    checkpoint_timeout: "1d",
    max_wal_size: "20GB",
    autovacuum: "off",
    ...settings,
  });
}

const CLOCK_TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, and for the postmaster also cutime + cstime (backends that exited). */
  ticks: number;
}

function readStat(pid: number): (ProcStat & { own: number; children: number }) | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ": state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    const own = Number(fields[11]) + Number(fields[12]);
    const children = Number(fields[13]) + Number(fields[14]);
    return { pid, ppid: Number(fields[1]), ticks: own, own, children };
  } catch {
    return null;
  }
}

/** The postmaster serving `port` (its command line has `-p PORT`). */
export function postmasterPid(port: number): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      const at = args.indexOf("-p");
      if (at >= 0 && args[at + 1] === String(port) && path.basename(args[0]) === "postgres") return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no postmaster found for port ${port}`);
}

/**
 * CPU seconds used so far by the cluster: the postmaster, its live children (backends, checkpointer,
 * WAL writer, …) and the children it already reaped (cutime/cstime), from /proc.
 */
export function clusterCpuSeconds(postmaster: number): number {
  return totalCpuSeconds(readClusterCpu(postmaster));
}

/** A reading's CPU seconds, every process together. */
export function totalCpuSeconds(reading: ClusterCpuReading): number {
  let seconds = reading.postmaster + reading.reaped;
  for (const process of reading.live.values()) seconds += process.seconds;
  return seconds;
}

/** One reading of the cluster's processes: CPU seconds and kind per live child, and what the postmaster reaped. */
export interface ClusterCpuReading {
  live: Map<number, { kind: string; seconds: number }>;
  /** The postmaster's own CPU, and its reaped children's (cutime + cstime). */
  postmaster: number;
  reaped: number;
}

const AUXILIARY = /^postgres: (autovacuum launcher|autovacuum worker|checkpointer|background writer|walwriter|logical replication launcher|archiver|pg_cron launcher)/;

/** The cluster's processes now, each by kind: "backends" (client connections) or its title ("walwriter", …). */
export function readClusterCpu(postmaster: number): ClusterCpuReading {
  // A backend the postmaster reaps while /proc is walked would be in neither the live processes nor the
  // reaped total read before the walk (a pool closing its connections at the end of a window took a
  // whole pass's backend CPU out of a reading): walk again until no child was reaped meanwhile.
  for (let attempt = 1; ; attempt++) {
    const master = readStat(postmaster);
    const live = new Map<number, { kind: string; seconds: number }>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (!stat || stat.ppid !== postmaster) continue;
      let title: string;
      try {
        title = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      } catch {
        continue;
      }
      live.set(stat.pid, { kind: AUXILIARY.exec(title)?.[1] ?? "backends", seconds: stat.own / CLOCK_TICKS_PER_SECOND });
    }
    const reaped = readStat(postmaster)?.children ?? 0;
    if (reaped === (master?.children ?? 0) || attempt === 10) {
      return { live, postmaster: (master?.own ?? 0) / CLOCK_TICKS_PER_SECOND, reaped: reaped / CLOCK_TICKS_PER_SECOND };
    }
  }
}

/**
 * Where the cluster's CPU went between two readings, in ms per `per` (largest first): each live process
 * by kind, and "short-lived" for processes that ended in the window (autovacuum workers, connections
 * closed and opened again), counting only what they used after the first reading.
 */
export function describeClusterCpu(before: ClusterCpuReading, after: ClusterCpuReading, per: number, unit: string): string {
  const ms = new Map<string, number>();
  const add = (kind: string, seconds: number) => ms.set(kind, (ms.get(kind) ?? 0) + (seconds * 1000) / per);
  for (const [pid, now] of after.live) add(now.kind, now.seconds - (before.live.get(pid)?.seconds ?? 0));
  const vanished = [...before.live].filter(([pid]) => !after.live.has(pid)).reduce((sum, [, p]) => sum + p.seconds, 0);
  add("short-lived", after.reaped - before.reaped - vanished);
  add("postmaster", after.postmaster - before.postmaster);
  return [...ms].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).map(([kind, v]) => `${kind} ${fmt.dec(v, 1)} ms`).join(", ") + ` ${unit}`;
}

export interface WalMeter {
  lsn: string;
  records: number;
  fpi: number;
  bytes: number;
}

export async function readWal(sql: Sql): Promise<WalMeter> {
  const [row] = await sql<{ lsn: string; records: string; fpi: string; bytes: string }[]>`
    select pg_current_wal_lsn()::text as lsn, wal_records::text as records, wal_fpi::text as fpi, wal_bytes::text as bytes
    from pg_stat_wal`;
  return { lsn: row.lsn, records: Number(row.records), fpi: Number(row.fpi), bytes: Number(row.bytes) };
}

export async function walBytesBetween(sql: Sql, from: string, to: string): Promise<number> {
  const [row] = await sql<{ n: string }[]>`select pg_wal_lsn_diff(${to}::pg_lsn, ${from}::pg_lsn)::text as n`;
  return Number(row.n);
}

export interface TableStats {
  table: string;
  inserted: number;
  updated: number;
  hotUpdated: number;
  deleted: number;
  bytes: number;
}

/**
 * Rows written per table so far, and each table's size with its indexes. Backends report their counts
 * when they go idle (at most once a second) or exit: read after the pool that wrote was closed.
 */
export async function readTableStats(sql: Sql): Promise<Map<string, TableStats>> {
  await sql`select pg_stat_clear_snapshot()`;
  const rows = await sql<{ table: string; ins: string; upd: string; hot: string; del: string; bytes: string }[]>`
    select relname as table, n_tup_ins::text as ins, n_tup_upd::text as upd, n_tup_hot_upd::text as hot,
      n_tup_del::text as del, pg_total_relation_size(relid)::text as bytes
    from pg_stat_user_tables where schemaname = 'public'`;
  return new Map(rows.map((r) => [r.table, {
    table: r.table, inserted: Number(r.ins), updated: Number(r.upd), hotUpdated: Number(r.hot), deleted: Number(r.del),
    bytes: Number(r.bytes),
  }]));
}

export function diffTableStats(before: Map<string, TableStats>, after: Map<string, TableStats>): TableStats[] {
  return [...after.values()].map((a) => {
    const b = before.get(a.table);
    return {
      table: a.table,
      inserted: a.inserted - (b?.inserted ?? 0),
      updated: a.updated - (b?.updated ?? 0),
      hotUpdated: a.hotUpdated - (b?.hotUpdated ?? 0),
      deleted: a.deleted - (b?.deleted ?? 0),
      bytes: a.bytes - (b?.bytes ?? 0),
    };
  });
}

export async function databaseBytes(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: string }[]>`select pg_database_size(current_database())::text as n`;
  return Number(row.n);
}

/** Statements the app issued since the last reset (pg_stat_statements, this database only). */
export async function statementCalls(sql: Sql): Promise<{ total: number; top: { calls: number; query: string }[] }> {
  const rows = await sql<{ calls: number; query: string }[]>`
    select calls::int, query from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database())
      and query not ilike '%pg_stat%' and query not ilike '%pg_database_size%' and query not ilike '%pg_current_wal%'
      and query not ilike 'checkpoint%'
    order by calls desc`;
  return { total: rows.reduce((sum, r) => sum + r.calls, 0), top: rows };
}

// ---------------------------------------------------------------------------------------------------
// Simulated gateways

export interface SimulatorFleet {
  /** One base URL per gateway origin. */
  urls: string[];
  /** host:port of every origin, comma-separated: what GATEWAY_ALLOWED_HOSTS must allow. */
  hosts: string;
  addInstances(origin: number, instances: { name: string; scenario: string; latencyMs?: number }[]): Promise<void>;
  /** Calls an instance received, by "METHOD /path" (the simulator's stats). */
  calls(origin: number, name: string): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * `origins` simulators, each its own host:port, in a child process (their CPU is not the monitor's), or
 * spread over `processes` child processes (origins dealt out in order): one process serializing the
 * listings of every origin becomes the bottleneck of a large fleet, not the monitor.
 */
export async function startSimulatorFleet(options: {
  origins: number; latencyMs: number; apiKey: string; processes?: number;
}): Promise<SimulatorFleet> {
  const processes = Math.max(1, Math.min(options.processes ?? 1, options.origins));
  const children: ChildProcess[] = [];
  const parts: Promise<string[]>[] = [];
  for (let p = 0, first = 0; p < processes; p++) {
    const count = Math.floor(options.origins / processes) + (p < options.origins % processes ? 1 : 0);
    const child: ChildProcess = spawn(process.execPath, [
      "--import", "tsx", "scripts/bench/simulator-fleet.ts",
      "--origins", String(count), "--latency", String(options.latencyMs), "--key", options.apiKey, "--first", String(first),
    ], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
    children.push(child);
    parts.push(new Promise<string[]>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once("line", (line) => resolve((JSON.parse(line) as { urls: string[] }).urls));
      child.once("exit", (code) => reject(new Error(`the simulator fleet exited (${code}) before listening`)));
    }));
    first += count;
  }
  const stopAll = () => Promise.all(children.map(async (child) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin!.end();
    child.kill("SIGTERM");
    await exited;
  }));
  let urls: string[];
  try {
    urls = (await Promise.all(parts)).flat();
  } catch (error) {
    await stopAll();
    throw error;
  }
  const control = async (origin: number, pathname: string, init?: RequestInit) => {
    const response = await fetch(`${urls[origin]}/__control${pathname}`, {
      ...init, headers: { "content-type": "application/json" },
    });
    if (!response.ok) throw new Error(`simulator ${origin}: ${pathname} → ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  return {
    urls,
    hosts: urls.map((url) => new URL(url).host).join(","),
    async addInstances(origin, instances) {
      for (let i = 0; i < instances.length; i += 10_000) {
        await control(origin, "/instances", { method: "POST", body: JSON.stringify({ instances: instances.slice(i, i + 10_000) }) });
      }
    },
    async calls(origin, name) {
      const stats = (await control(origin, `/instances/${encodeURIComponent(name)}`)) as { calls?: Record<string, number> };
      return stats.calls ?? {};
    },
    async stop() {
      await stopAll();
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Channels

export interface SeededChannel {
  id: string;
  name: string;
  origin: number;
}

/**
 * `count` healthy channels of `tenants` tenants, round-robin over the fleet's origins, each with the
 * gateway's global key as its key and a webhook secret, as `channel add` would store them; checked
 * every `intervalSeconds`. Due at once.
 */
export async function seedChannels(sql: Sql, fleet: SimulatorFleet, options: {
  count: number; tenants?: number; apiKey: string; secretKey: string; intervalSeconds: number; prefix?: string;
}): Promise<SeededChannel[]> {
  const prefix = options.prefix ?? "bench";
  const tenantCount = options.tenants ?? Math.max(1, Math.ceil(options.count / 200));
  const tenants = await sql<{ id: string }[]>`
    insert into public.tenants (slug, name)
    select ${prefix} || '-' || i, 'Bench ' || i from generate_series(1, ${tenantCount}::int) i
    returning id`;
  const origins = fleet.urls.length;
  const sealedKey = encryptSecret(options.apiKey, options.secretKey);
  const rows = Array.from({ length: options.count }, (_, i) => ({
    name: `${prefix}-${i}`, origin: i % origins, url: fleet.urls[i % origins], tenant: tenants[i % tenants.length].id,
    key: sealedKey, webhook: encryptSecret(`wh-${i}`, options.secretKey),
  }));
  for (let origin = 0; origin < origins; origin++) {
    await fleet.addInstances(origin, rows.filter((r) => r.origin === origin).map((r) => ({ name: r.name, scenario: "healthy" })));
  }
  const created: { id: string; name: string }[] = [];
  for (let i = 0; i < rows.length; i += 5_000) {
    created.push(...await sql<{ id: string; name: string }[]>`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 5_000))}::text::jsonb)
          as r(name text, url text, tenant uuid, key text, webhook text)
      ),
      c as (
        insert into public.channels (tenant_id, display_name, gateway_url, instance_name, check_interval_seconds)
        select tenant, name, url, name, ${options.intervalSeconds} from input returning id, tenant_id, instance_name
      ),
      s as (
        insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext, webhook_secret_ciphertext)
        select c.id, c.tenant_id, i.key, i.webhook from c join input i on i.name = c.instance_name
      ),
      st as (insert into public.channel_status (channel_id, tenant_id) select id, tenant_id from c)
      select id, instance_name as name from c`);
  }
  const origin = new Map(rows.map((r) => [r.name, r.origin]));
  return created.map((c) => ({ ...c, origin: origin.get(c.name)! }));
}

// ---------------------------------------------------------------------------------------------------
// Printing

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString("en-US"),
  dec: (n: number, digits = 2) => n.toFixed(digits),
  bytes: (n: number) => (Math.abs(n) >= 10_000 ? `${(n / 1000).toFixed(1)} kB` : `${Math.round(n)} B`),
  ms: (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`),
};

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function printRows(title: string, rows: ResultRow[]): void {
  const header = ["", "Sentinela", `Uptime Kuma ${UPTIME_KUMA.version}`, "goal", ""];
  const body = rows.map((r) => [r.metric, r.sentinela, r.kuma ?? "", r.goal ?? "", r.ok === undefined ? "" : r.ok ? "ok" : "MISSED"]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd();
  console.log(`\n== ${title}`);
  console.log(line(header));
  for (const cells of body) console.log(line(cells));
}
