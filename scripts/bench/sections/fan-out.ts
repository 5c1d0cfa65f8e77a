import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { connect, createServer, type AddressInfo, type Server } from "node:net";
import path from "node:path";
import { encryptSecret, generateSecretKey } from "@/lib/crypto/secret-box";
import { createSql, type Sql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { buildIfNeeded } from "../../demo/build-if-needed";
import {
  clusterCpuSeconds, fmt, postmasterPid, seedChannels, startBenchCluster, startSimulatorFleet, type BenchArgs, type BenchSection, type ResultRow,
  type SeededChannel, type SimulatorFleet,
} from "../bench-kit";

/**
 * Issue 13, point 4: past one function. The production build (`next start`, built first when stale)
 * against a throwaway PostgreSQL and a fleet of simulated gateways, driven only through its routes:
 *   1. `--fan-out-overlap-calls` cron calls at once over `--fan-out-overlap-channels` channels read one by
 *      one (no gateway key, so no listings): every instance's connectionState is counted at its simulator,
 *      and none may be read twice (claims are leased with SKIP LOCKED, whoever claims).
 *   2. `--fan-out-channels` channels over `--fan-out-origins` gateway origins (bulk reads: each gateway has
 *      its global key; `--fan-out-per-instance` turns that off), `--fan-out-latency` ms per gateway call,
 *      checked every `--fan-out-interval` s: the cron route is called once per interval, as Vercel Cron
 *      would, and fans out to up to `--fan-out-workers` worker invocations. Per interval: every due channel
 *      checked exactly once (the runs' checks add up to the channels due, and every one has a check in the
 *      interval), `remaining` 0, and the wall time of the cron call (it answers once its workers have).
 *      Measured after a warm-up (printed, not held to the goal; at most `--fan-out-warm-up-rounds` cron
 *      calls back to back) that gives every channel its first check, a one-time transition per channel.
 * Behind `--fan-out` (long: minutes). `--fan-out-app-processes` `next start` processes serve every
 * invocation here behind one address (a TCP balancer, connection by connection), and the simulators run in
 * `--fan-out-simulator-processes` processes: all of them share this machine's two cores, unlike separate
 * functions on Vercel, so the times are a worst case.
 */

const GATEWAY_KEY = "bench-fan-out-gateway-key";
const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

export const fanOut: BenchSection = {
  name: "fan-out",
  title: "Past one function: the cron route fanning out to workers",
  options: {
    "fan-out": { type: "boolean", default: false },
    "fan-out-channels": { type: "string", default: "100000" },
    "fan-out-origins": { type: "string", default: "20" },
    "fan-out-latency": { type: "string", default: "200" },
    "fan-out-interval": { type: "string", default: "60" },
    "fan-out-intervals": { type: "string", default: "3" },
    "fan-out-workers": { type: "string", default: "8" },
    "fan-out-concurrency": { type: "string", default: "200" },
    "fan-out-gateway-timeout": { type: "string", default: "5000" },
    "fan-out-per-instance": { type: "boolean", default: false },
    "fan-out-overlap-channels": { type: "string", default: "5000" },
    "fan-out-overlap-calls": { type: "string", default: "8" },
    "fan-out-simulator-processes": { type: "string", default: "5" },
    "fan-out-app-processes": { type: "string", default: "3" },
    "fan-out-use-build": { type: "boolean", default: false },
    "fan-out-warm-up-rounds": { type: "string", default: "10" },
  },
  async run(args, log) {
    const only = typeof args.only === "string" && args.only.split(",").map((s) => s.trim()).includes("fan-out");
    if (!args["fan-out"] && !only) {
      log("skipped: long (minutes); run it with `npm run bench -- --fan-out` (or --only fan-out)");
      return [];
    }
    return runFanOut(args, log);
  },
};

async function runFanOut(args: BenchArgs, log: (line: string) => void): Promise<ResultRow[]> {
  const n = (flag: string) => Number(args[flag]);
  const origins = n("fan-out-origins");
  // --fan-out-use-build: the production build as it is (built by hand while other work goes on in the tree).
  if (args["fan-out-use-build"]) {
    if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("--fan-out-use-build: no production build (.next/BUILD_ID): run `next build`");
  } else buildIfNeeded();
  // Autovacuum on, as on Supabase: nothing here measures growth, and the claim reads channels index-only.
  const cluster = await startBenchCluster({ max_connections: "300", autovacuum: "on" });
  // Spread over several processes, so serializing 20 listings of 5,000 instances is not the bottleneck.
  const fleet = await startSimulatorFleet({
    origins, latencyMs: n("fan-out-latency"), apiKey: GATEWAY_KEY, processes: n("fan-out-simulator-processes"),
  });
  const apps: ChildProcess[] = [];
  let balancer: Server | undefined;
  try {
    const url = await cluster.createDatabase("fan_out");
    const sql = createSql(url, { max: 4 });
    await migrate(sql);
    await sql`create extension if not exists pg_stat_statements`;
    const secretKey = generateSecretKey();
    const cronSecret = randomBytes(24).toString("hex");
    // Several `next start` behind one address (APP_URL), each connection to the next one in turn: on
    // Vercel every invocation is a function instance of its own, not one Node process's event loop.
    const ports = await Promise.all(Array.from({ length: Math.max(1, n("fan-out-app-processes")) }, () => freePort()));
    balancer = await startBalancer(ports);
    const appUrl = `http://127.0.0.1:${(balancer.address() as AddressInfo).port}`;
    for (const port of ports) {
      apps.push(startApp({
        port, appUrl, databaseUrl: url, secretKey, cronSecret, allowed: fleet.hosts,
        workers: n("fan-out-workers"), concurrency: n("fan-out-concurrency"), timeoutMs: n("fan-out-gateway-timeout"),
        intervalS: n("fan-out-interval"),
      }));
    }
    await Promise.all(apps.map((app, i) => waitForHealth(`http://127.0.0.1:${ports[i]}`, app)));
    log(`${apps.length} \`next start\` processes behind ${appUrl}; simulators in ${n("fan-out-simulator-processes")} processes`);
    const cron = () => callCron(appUrl, cronSecret);
    const postmaster = postmasterPid(cluster.port);
    const cpu: CpuMeter = () => ({
      app: apps.reduce((sum, app) => sum + treeCpuSeconds(app.pid!), 0), db: clusterCpuSeconds(postmaster), gateways: fleetCpuSeconds(),
    });

    const rows = await overlappingCalls(sql, fleet, cron, { count: n("fan-out-overlap-channels"), calls: n("fan-out-overlap-calls"), secretKey }, log);
    rows.push(...await intervals(sql, fleet, cron, cpu, {
      count: n("fan-out-channels"), intervals: n("fan-out-intervals"), intervalS: n("fan-out-interval"), secretKey,
      bulk: !args["fan-out-per-instance"], workers: n("fan-out-workers"), warmUpRounds: n("fan-out-warm-up-rounds"),
    }, log));
    // Where PostgreSQL's time went over the whole section: the statements that cost the most.
    const top = await sql<{ calls: number; ms: number; query: string }[]>`
      select calls::int, round(total_exec_time)::int as ms, query from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database())
      order by total_exec_time desc limit 6`;
    for (const t of top) log(`PostgreSQL: ${fmt.int(t.ms)} ms in ${fmt.int(t.calls)} calls: ${t.query.replace(/\s+/g, " ").slice(0, 140)}`);
    await sql.end();
    return rows;
  } finally {
    await Promise.all(apps.map(stopChild));
    balancer?.close();
    await fleet.stop();
    await cluster.stop();
  }
}

interface CronAnswer {
  status: number;
  wallMs: number;
  body: {
    checked: number; remaining: number; failed: number; durationMs: number; runId: string;
    workers?: { started: number; answered: number; errors: string[]; plan: { due: number; checksPerSecond: number; capacity: number; share: number } };
  };
}

async function callCron(appUrl: string, secret: string): Promise<CronAnswer> {
  const started = performance.now();
  const response = await fetch(`${appUrl}/api/cron/monitor`, { headers: { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(120_000) });
  const text = await response.text();
  const wallMs = performance.now() - started;
  if (!response.ok) throw new Error(`cron call → ${response.status}: ${text.slice(0, 300)}`);
  return { status: response.status, wallMs, body: JSON.parse(text) };
}

/** Reads of every instance, by endpoint, at every origin (one control call per origin). */
async function instanceCalls(fleet: SimulatorFleet, endpoint: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await Promise.all(fleet.urls.map(async (base) => {
    const response = await fetch(`${base}/__control/instances`);
    const { instances } = (await response.json()) as { instances: { name: string; calls: Record<string, number> }[] };
    for (const instance of instances) counts.set(instance.name, instance.calls[endpoint] ?? 0);
  }));
  return counts;
}

const STATE_READ = "GET /instance/connectionState";

async function overlappingCalls(
  sql: Sql, fleet: SimulatorFleet, cron: () => Promise<CronAnswer>,
  options: { count: number; calls: number; secretKey: string }, log: (line: string) => void,
): Promise<ResultRow[]> {
  log(`overlap: seeding ${fmt.int(options.count)} channels read one by one (no gateway key)…`);
  const seeded = await seedChannels(sql, fleet, { count: options.count, apiKey: GATEWAY_KEY, secretKey: options.secretKey, intervalSeconds: 600, prefix: "ov", tenants: 25 });
  await sql`update public.channels set webhook_mode = 'off' where id = any(${seeded.map((c) => c.id)}::uuid[])`;
  const started = performance.now();
  // Started 25 ms apart, so claims interleave with other calls' checks and writes.
  const answers = await Promise.all(Array.from({ length: options.calls }, (_, i) =>
    new Promise((resolve) => setTimeout(resolve, i * 25)).then(cron)));
  const wallMs = performance.now() - started;
  const reads = await instanceCalls(fleet, STATE_READ);
  const perInstance = seeded.map((c) => reads.get(c.name) ?? 0);
  const doubles = perInstance.filter((k) => k > 1).length;
  const unread = perInstance.filter((k) => k === 0).length;
  const checked = answers.reduce((sum, a) => sum + a.body.checked, 0);
  const workers = answers.reduce((sum, a) => sum + (a.body.workers?.started ?? 0), 0);
  log(`overlap: ${options.calls} cron calls in ${fmt.ms(wallMs)}: checked ${answers.map((a) => a.body.checked).join(" + ")} = ${checked}, ` +
    `${workers} worker invocations started by them, remaining ${answers.map((a) => a.body.remaining).join("/")}`);
  await sql`update public.channels set monitoring_enabled = false where id = any(${seeded.map((c) => c.id)}::uuid[])`;
  return [
    { metric: `overlap: ${options.calls} cron calls at once, ${fmt.int(options.count)} channels, per-instance reads: instances read twice or more`,
      sentinela: fmt.int(doubles), goal: "0", ok: doubles === 0 },
    { metric: "overlap: instances never read / checks the calls reported", sentinela: `${fmt.int(unread)} / ${fmt.int(checked)}`,
      goal: `0 / ${fmt.int(options.count)}`, ok: unread === 0 && checked === options.count },
    { metric: "overlap: wall time of the 8 calls", sentinela: fmt.ms(wallMs) },
  ];
}

async function intervals(
  sql: Sql, fleet: SimulatorFleet, cron: () => Promise<CronAnswer>, cpu: CpuMeter,
  options: { count: number; intervals: number; intervalS: number; secretKey: string; bulk: boolean; workers: number; warmUpRounds: number },
  log: (line: string) => void,
): Promise<ResultRow[]> {
  log(`fan-out: seeding ${fmt.int(options.count)} channels over ${fleet.urls.length} gateway origins…`);
  const seeded: SeededChannel[] = await seedChannels(sql, fleet, {
    count: options.count, apiKey: GATEWAY_KEY, secretKey: options.secretKey, intervalSeconds: options.intervalS, prefix: "fo",
  });
  // Webhook installs are not what is measured here; the channels' checks are.
  await sql`update public.channels set webhook_mode = 'off' where display_name like 'fo-%'`;
  if (options.bulk) {
    await sql`update public.gateways set global_key_ciphertext = ${encryptSecret(GATEWAY_KEY, options.secretKey)}
      where id in (select gateway_id from public.channels where display_name like 'fo-%')`;
  }
  // What autovacuum would have done by the time such a fleet is monitored (statistics, visibility map).
  await sql`vacuum analyze`;
  log(`fan-out: ${options.bulk ? "bulk reads on (every gateway has its global key)" : "per-instance reads"}; ${options.intervals} intervals of ${options.intervalS} s`);

  const rows: ResultRow[] = [];
  const intervalMs = options.intervalS * 1000;
  // Warm-up, not held to the goal: a fleet's first check of each channel is a live read and a transition
  // (unknown → connected, with its event, sample and uptime rows), a one-time cost of adding channels. Cron
  // calls back to back until every channel has had it, then one interval's pause: from then on every
  // channel is due once per interval, which is what is measured.
  const warmStarted = performance.now();
  for (let round = 1; round <= options.warmUpRounds; round++) {
    const [{ unchecked }] = await sql<{ unchecked: number }[]>`
      select count(*)::int as unchecked from public.channel_schedule k join public.channels c on c.id = k.channel_id
      where c.monitoring_enabled and k.last_checked_at is null`;
    if (unchecked === 0) break;
    const answer = await cron();
    log(`warm-up ${round}: ${fmt.int(unchecked)} channels never checked; the cron call checked ${fmt.int(answer.body.checked)} ` +
      `(${answer.body.workers ? `${answer.body.workers.started} workers` : "no fan-out"}) in ${fmt.ms(answer.wallMs)}`);
  }
  const [{ neverChecked }] = await sql<{ neverChecked: number }[]>`
    select count(*)::int as "neverChecked" from public.channel_schedule k join public.channels c on c.id = k.channel_id
    where c.monitoring_enabled and k.last_checked_at is null`;
  const warmMs = performance.now() - warmStarted;
  log(`warm-up: ${fmt.ms(warmMs)}, ${fmt.int(neverChecked)} channels never checked after it; measuring from one interval after it`);
  rows.push({ metric: "warm-up (first check of every channel; not held to the goal): time, channels never checked after it",
    sentinela: `${fmt.ms(warmMs)}, ${fmt.int(neverChecked)}` });
  await new Promise((resolve) => setTimeout(resolve, intervalMs));

  let allOnce = neverChecked === 0;
  let allDone = true;
  let worstWall = 0;
  let tick = Date.now();
  let reads = await instanceCalls(fleet, STATE_READ);
  for (let k = 1; k <= options.intervals; k++) {
    const at = new Date(tick);
    const [{ due }] = await sql<{ due: number }[]>`
      select count(*)::int as due from public.channel_status s join public.channels c on c.id = s.channel_id
      where c.monitoring_enabled and s.next_check_at <= ${new Date(tick + 5_000)}`;
    const cpuBefore = cpu();
    const answer = await cron();
    const cpuAfter = cpu();
    const [facts] = await sql<{ checkedOnce: number; runs: number; runChecked: number; leased: number }[]>`
      select
        (select count(*)::int from public.channel_status s join public.channels c on c.id = s.channel_id
          where c.monitoring_enabled and s.last_checked_at >= ${at}) as "checkedOnce",
        (select count(*)::int from public.monitor_runs where started_at >= ${at}) as runs,
        (select coalesce(sum(checked), 0)::int from public.monitor_runs where started_at >= ${at}) as "runChecked",
        (select count(*)::int from public.channel_status where lease_owner is not null) as leased`;
    const after = await instanceCalls(fleet, STATE_READ);
    const twice = seeded.filter((c) => (after.get(c.name) ?? 0) - (reads.get(c.name) ?? 0) > 1).length;
    const live = seeded.reduce((sum, c) => sum + (after.get(c.name) ?? 0) - (reads.get(c.name) ?? 0), 0);
    reads = after;
    const w = answer.body.workers;
    const once = facts.runChecked === due && facts.checkedOnce === due && answer.body.checked === due && twice === 0;
    allOnce &&= once;
    allDone &&= answer.body.remaining === 0;
    worstWall = Math.max(worstWall, answer.wallMs);
    log(`interval ${k}: due ${fmt.int(due)}, checked ${fmt.int(answer.body.checked)} by ${facts.runs} runs ` +
      `(${w ? `${w.answered}/${w.started} workers answered, share ${fmt.int(w.plan.share)}, plan from ${w.plan.checksPerSecond} checks/s` : "no fan-out"}), ` +
      `channels with a check this interval ${fmt.int(facts.checkedOnce)}, live reads ${fmt.int(live)}, read twice ${twice}, ` +
      `remaining ${answer.body.remaining}, leases left ${facts.leased}, wall ${fmt.ms(answer.wallMs)}, CPU s app ` +
      `${fmt.dec(cpuAfter.app - cpuBefore.app, 1)} / PostgreSQL ${fmt.dec(cpuAfter.db - cpuBefore.db, 1)} / simulators ${fmt.dec(cpuAfter.gateways - cpuBefore.gateways, 1)}` +
      (w?.errors.length ? `; errors: ${w.errors.join("; ")}` : ""));
    rows.push({
      metric: `interval ${k}: checked / due (runs' sum, channels with a check), remaining, wall time`,
      sentinela: `${fmt.int(answer.body.checked)} / ${fmt.int(due)} (${fmt.int(facts.runChecked)}, ${fmt.int(facts.checkedOnce)}), ${answer.body.remaining}, ${fmt.ms(answer.wallMs)}`,
    });
    tick += intervalMs;
    const wait = tick - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    else tick = Date.now();
  }
  rows.push(
    { metric: `every due channel checked exactly once per interval (${fmt.int(options.count)} channels, ${fleet.urls.length} origins, ≤ ${options.workers} workers)`,
      sentinela: allOnce ? "yes" : "no", goal: "yes", ok: allOnce },
    { metric: "remaining after every interval", sentinela: allDone ? "0" : "> 0", goal: "0", ok: allDone },
    { metric: "wall time of the slowest interval's cron call", sentinela: fmt.ms(worstWall), goal: `< ${options.intervalS} s`, ok: worstWall < options.intervalS * 1000 },
  );
  return rows;
}

type CpuMeter = () => { app: number; db: number; gateways: number };

/** CPU seconds of a process and its live descendants (utime + stime, and what they reaped), from /proc. */
function treeCpuSeconds(root: number, match?: (cmdline: string) => boolean): number {
  const procs: { pid: number; ppid: number; ticks: number; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      procs.push({
        pid: Number(entry), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
        cmdline: match ? readFileSync(`/proc/${entry}/cmdline`, "utf8") : "",
      });
    } catch {
      // gone meanwhile
    }
  }
  const roots = match ? procs.filter((p) => p.ppid === root && match(p.cmdline)).map((p) => p.pid) : [root];
  const inTree = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!inTree.has(p.pid) && inTree.has(p.ppid)) grew = inTree.add(p.pid) !== undefined;
  }
  return procs.filter((p) => inTree.has(p.pid)).reduce((sum, p) => sum + p.ticks, 0) / 100;
}

/** The simulator fleet: this process's child running scripts/bench/simulator-fleet.ts. */
const fleetCpuSeconds = () => treeCpuSeconds(process.pid, (cmdline) => cmdline.includes("simulator-fleet.ts"));

function startApp(o: {
  port: number; appUrl: string; databaseUrl: string; secretKey: string; cronSecret: string; allowed: string;
  workers: number; concurrency: number; timeoutMs: number; intervalS: number;
}): ChildProcess {
  const next = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [next, "start", "-p", String(o.port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: o.databaseUrl,
      CHANNEL_SECRET_KEY: o.secretKey,
      CRON_SECRET: o.cronSecret,
      APP_URL: o.appUrl,
      // Required at start-up; no page is visited here.
      NEXT_PUBLIC_SUPABASE_URL: "http://127.0.0.1:9",
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "bench-unused",
      MONITOR_MAX_WORKERS: String(o.workers),
      MONITOR_CONCURRENCY: String(o.concurrency),
      GATEWAY_TIMEOUT_MS: String(o.timeoutMs),
      MONITOR_INTERVAL_SECONDS: String(o.intervalS),
      GATEWAY_ALLOWED_HOSTS: o.allowed,
    },
  });
  return child;
}

async function waitForHealth(appUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode})`);
    try {
      // 503 is fine: no pass has run yet. Any answer means the server is up.
      await fetch(`${appUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error("next start did not answer within 60 s");
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** A TCP balancer on a free port: each connection goes to the next of `ports` in turn (bench only). */
function startBalancer(ports: number[]): Promise<Server> {
  let next = 0;
  const server = createServer((client) => {
    const backend = connect(ports[next++ % ports.length], "127.0.0.1");
    client.pipe(backend).pipe(client);
    const close = () => {
      client.destroy();
      backend.destroy();
    };
    client.on("error", close);
    backend.on("error", close);
    client.on("close", close);
    backend.on("close", close);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
