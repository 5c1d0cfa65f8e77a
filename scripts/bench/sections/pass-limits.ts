import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encryptSecret, generateSecretKey } from "@/lib/crypto/secret-box";
import { createSql, type Sql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import {
  clusterCpuSeconds, describeClusterCpu, fmt, percentile, postmasterPid, seedChannels, startBenchCluster, readClusterCpu, startSimulatorFleet,
  totalCpuSeconds, UPTIME_KUMA, type BenchArgs, type BenchSection, type ResultRow, type SimulatorFleet,
} from "../bench-kit";

/**
 * Issue 13, points 2 and 3, measured on the built CLI (dist/sentinela.mjs, `npm run build:cli`, built
 * afresh here) as the self-hosted runner runs it: one plain node process.
 * - pass-limits: N channels (10,000) on ≥ 10 gateway origins at latency L, concurrency C; steady
 *   `monitor --once --all` passes read instance by instance, then with bulk reads (each gateway with a
 *   global key: one fetchInstances per pass, a tenth of the lines confirmed live). App CPU per check is
 *   the CLI process's CPU for a pass over all channels minus one with nothing due (start-up and the fixed
 *   cost of a pass), over the channels checked; PostgreSQL's is the cluster's over the same pass.
 * - runner: `node dist/sentinela.mjs monitor --every 20s` over 300 channels for a few minutes (the
 *   side-by-side with Uptime Kuma): CPU per check, app and PostgreSQL together, after its first pass;
 *   its resident memory; that it is one process. Then the floor under it (request-floor.mjs): a bare Node
 *   client sending the same state reads at the same pace, and back to back.
 */

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const GATEWAY_KEY = "bench-gateway-key";
const APP_URL = "https://sentinela.bench.example";

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
}

function buildCli(): void {
  const built = spawnSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`npm run build:cli failed: ${built.stderr}`);
}

/** Flags for node itself (not a wrapper process): the usage reporter, and a CPU profile when asked. */
function nodeFlags(profileDir?: string): string[] {
  return ["--import", "./scripts/bench/report-usage.mjs", ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [])];
}

function runCli(args: string[], env: NodeJS.ProcessEnv, profileDir?: string): Promise<CliRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "sentinela-usage-"));
  const usageFile = path.join(dir, "usage.json");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags(profileDir), "dist/sentinela.mjs", ...args], {
      cwd: ROOT, env: { ...env, BENCH_USAGE_FILE: usageFile },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("error", reject);
    child.once("exit", (status) => {
      const wallMs = performance.now() - started;
      try {
        const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { cpuUs: number; maxRssKb: number };
        resolve({ status, stdout, stderr, wallMs, cpuMs: usage.cpuUs / 1000, maxRssMb: usage.maxRssKb / 1024 });
      } catch (error) {
        reject(new Error(`no usage report from the CLI (exit ${status}): ${stderr || String(error)}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

interface PassFigures {
  checked: number;
  durationMs: number;
  cpuMs: number;
  pgCpuMs: number;
  maxRssMb: number;
}

async function measuredPass(args: string[], env: NodeJS.ProcessEnv, postmaster: number, profileDir?: string): Promise<PassFigures> {
  const pgBefore = clusterCpuSeconds(postmaster);
  const run = await runCli(["monitor", "--once", "--json", ...args], env, profileDir);
  const pgCpuMs = (clusterCpuSeconds(postmaster) - pgBefore) * 1000;
  if (run.status !== 0) throw new Error(`monitor ${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { checked: number; durationMs: number; failed: number };
  if (summary.failed > 0) throw new Error(`monitor ${args.join(" ")}: ${summary.failed} checks failed: ${run.stderr.slice(0, 500)}`);
  return { checked: summary.checked, durationMs: summary.durationMs, cpuMs: run.cpuMs, pgCpuMs, maxRssMb: run.maxRssMb };
}

function cliEnv(url: string, secretKey: string, fleet: SimulatorFleet, concurrency: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production",
    DATABASE_URL: url, CHANNEL_SECRET_KEY: secretKey, APP_URL,
    MONITOR_CONCURRENCY: String(concurrency), GATEWAY_TIMEOUT_MS: "10000", GATEWAY_ALLOWED_HOSTS: fleet.hosts,
  };
}

async function setGlobalKeys(sql: Sql, secretKey: string, on: boolean): Promise<void> {
  const sealed = on ? encryptSecret(GATEWAY_KEY, secretKey) : null;
  await sql`update public.gateways set global_key_ciphertext = ${sealed}`;
}

const median = (values: number[]) => percentile(values, 50);

export const passLimits: BenchSection = {
  name: "limits",
  title: "The pass near its limit: 10,000 channels, instance by instance and with bulk reads",
  options: {
    "limits-channels": { type: "string", default: "10000" },
    "limits-latency": { type: "string", default: "50" },
    "limits-concurrency": { type: "string", default: "200" },
    "limits-origins": { type: "string", default: "20" },
    "limits-repeats": { type: "string", default: "3" },
    /** A directory: one per-instance and one bulk pass also write a V8 CPU profile there. */
    "limits-profile": { type: "string", default: "" },
  },
  async run(args: BenchArgs, log) {
    const channels = Number(args["limits-channels"]);
    const latencyMs = Number(args["limits-latency"]);
    const concurrency = Number(args["limits-concurrency"]);
    const origins = Number(args["limits-origins"]);
    const repeats = Number(args["limits-repeats"]);
    const profileDir = String(args["limits-profile"] ?? "") || undefined;
    buildCli();

    const cluster = await startBenchCluster();
    const fleet = await startSimulatorFleet({ origins, latencyMs, apiKey: GATEWAY_KEY });
    try {
      const url = await cluster.createDatabase("limits");
      const sql = createSql(url, { max: 2 });
      await migrate(sql);
      const secretKey = generateSecretKey();
      await // A long interval: the idle pass right after a pass over every channel finds none due, however slow the machine.
      await seedChannels(sql, fleet, { count: channels, apiKey: GATEWAY_KEY, secretKey, intervalSeconds: 600, prefix: "limit" });
      const postmaster = postmasterPid(cluster.port);
      const env = cliEnv(url, secretKey, fleet, concurrency);
      const idealMs = (channels * latencyMs) / concurrency;
      log(`${channels} channels on ${origins} gateway origins, latency ${latencyMs} ms, concurrency ${concurrency} ` +
        `(at most 20 in flight per origin); ideal N·L/C = ${fmt.ms(idealMs)}; ${repeats} measured passes per mode`);

      const first = await measuredPass([], env, postmaster);
      log(`first pass (every channel unknown → connected, webhooks set): ${first.checked} in ${fmt.ms(first.durationMs)}`);

      const modes: { name: string; bulk: boolean }[] = [{ name: "per instance", bulk: false }, { name: "bulk reads", bulk: true }];
      const results = new Map<string, { passes: PassFigures[]; idle: PassFigures }>();
      for (const mode of modes) {
        await setGlobalKeys(sql, secretKey, mode.bulk);
        // Warm: the first pass of a mode settles what it changes (phases, the listing's first read).
        await measuredPass(["--all"], env, postmaster);
        const passes: PassFigures[] = [];
        for (let i = 0; i < repeats; i++) passes.push(await measuredPass(["--all"], env, postmaster));
        if (profileDir) await measuredPass(["--all"], env, postmaster, path.join(profileDir, mode.bulk ? "bulk" : "per-instance"));
        // Nothing is due right after a pass over every channel: start-up plus a pass's fixed cost.
        const idle = await measuredPass([], env, postmaster);
        if (idle.checked !== 0) throw new Error(`expected an idle pass, it checked ${idle.checked}`);
        results.set(mode.name, { passes, idle });
        log(`${mode.name}: ${passes.map((p) => `${fmt.ms(p.durationMs)} (app ${fmt.int(p.cpuMs)} ms CPU, ` +
          `PostgreSQL ${fmt.int(p.pgCpuMs)} ms, RSS ${fmt.int(p.maxRssMb)} MB)`).join("; ")}; ` +
          `idle pass: app ${fmt.int(idle.cpuMs)} ms CPU, ${fmt.int(idle.maxRssMb)} MB`);
      }
      if (profileDir) log(`CPU profiles: ${readdirSync(profileDir, { recursive: true }).join(", ")} under ${profileDir}`);
      await sql.end({ timeout: 5 });

      const rows: ResultRow[] = [];
      for (const mode of modes) {
        const { passes, idle } = results.get(mode.name)!;
        const duration = median(passes.map((p) => p.durationMs));
        const appMs = median(passes.map((p) => (p.cpuMs - idle.cpuMs) / p.checked));
        const pgMs = median(passes.map((p) => p.pgCpuMs / p.checked));
        const rss = Math.max(...passes.map((p) => p.maxRssMb));
        const goalMs = mode.bulk ? 1000 : 1.25 * idealMs;
        rows.push(
          {
            metric: `${mode.name}: pass time, median of ${repeats} (ideal ${fmt.ms(idealMs)})`,
            sentinela: `${fmt.ms(duration)}, ${fmt.dec(duration / idealMs)}×`,
            goal: `≤ ${fmt.ms(goalMs)}`, ok: duration <= goalMs,
          },
          {
            metric: `${mode.name}: app CPU per check (start-up and a pass's fixed ${fmt.int(idle.cpuMs)} ms excluded)`,
            sentinela: `${fmt.dec(appMs, 3)} ms`, goal: "≤ 0.150 ms", ok: appMs <= 0.15,
          },
          { metric: `${mode.name}: PostgreSQL CPU per check`, sentinela: `${fmt.dec(pgMs, 3)} ms` },
          { metric: `${mode.name}: peak RSS of the pass`, sentinela: `${fmt.int(rss)} MB`, goal: "< 300 MB", ok: rss < 300 },
        );
      }
      return rows;
    } finally {
      await fleet.stop();
      await cluster.stop();
    }
  },
};

/** utime + stime of a live process, in ms, and its resident memory now and at its peak, from /proc. */
function processFigures(pid: number): { cpuMs: number; userMs: number; rssMb: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { cpuMs: (Number(fields[11]) + Number(fields[12])) * 10, userMs: Number(fields[11]) * 10, rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
}

/** Processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).filter((entry) => {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
    } catch {
      return false;
    }
  }).map(Number);
}

async function checksSince(sql: Sql, since: Date): Promise<{ checked: number; passes: number }> {
  const [row] = await sql<{ checked: number; passes: number }[]>`
    select coalesce(sum(checked), 0)::int as checked, count(*)::int as passes
    from public.monitor_runs where started_at >= ${since} and finished_at is not null`;
  return row;
}

/** Autovacuum plus autoanalyze runs so far, per table of the public schema. */
async function autovacuumRuns(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ table: string; runs: number }[]>`
    select relname as table, (autovacuum_count + autoanalyze_count)::int as runs from pg_stat_user_tables where schemaname = 'public'`;
  return new Map(rows.map((row) => [row.table, row.runs]));
}

const QUARTER_HOUR_MS = 15 * 60_000;

/** The runner's channels and instances are `runner-<i>`, instance i on origin i mod origins (seedChannels). */
const RUNNER_PREFIX = "runner";

interface RunnerFigures {
  passes: number;
  checked: number;
  appMs: number;
  /** The app's share spent in user space (the rest is the kernel: sockets, mostly). */
  appUserMs: number;
  pgMs: number;
  peakRssMb: number;
  medianRssMb: number;
  processes: number;
}

/**
 * One runner process for `minutes`, measured after its first pass (start-up, the first checks and
 * webhook set-up): CPU from /proc for it and the cluster, checks from monitor_runs, memory sampled.
 */
async function measureRunner(options: {
  sql: Sql; url: string; secretKey: string; fleet: SimulatorFleet; postmaster: number; everyS: number; minutes: number;
  profileDir?: string; nodeFlags: string[]; log: (line: string) => void;
}): Promise<RunnerFigures> {
  const { sql, postmaster } = options;
  const profile = options.profileDir ? ["--cpu-prof", "--cpu-prof-dir", options.profileDir] : [];
  const startedAt = new Date();
  const runner = spawn(process.execPath, [...options.nodeFlags, ...profile, "dist/sentinela.mjs", "monitor", "--every", `${options.everyS}s`], {
    cwd: ROOT, env: cliEnv(options.url, options.secretKey, options.fleet, 50), stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  runner.stdout!.on("data", (chunk) => (output += chunk));
  runner.stderr!.on("data", (chunk) => (output += chunk));
  try {
    const pid = runner.pid!;
    while ((await checksSince(sql, startedAt)).passes < 1) {
      if (runner.exitCode !== null) throw new Error(`the runner exited: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Steady state: the seeding and the first pass's writes (every channel unknown → connected, webhooks
    // set) vacuumed and analyzed now, as autovacuum would have long before on a fleet that has been
    // running; otherwise the window pays once for vacuuming and analyzing about ten freshly filled tables.
    await sql`vacuum analyze`;
    const from = new Date();
    await sql`select pg_stat_statements_reset()`;
    const vacuumsBefore = await autovacuumRuns(sql);
    const before = { app: processFigures(pid), pg: readClusterCpu(postmaster) };
    const samples: number[] = [];
    const deadline = Date.now() + options.minutes * 60_000;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      samples.push(processFigures(pid).rssMb);
    }
    const after = { app: processFigures(pid), pg: readClusterCpu(postmaster) };
    const until = new Date();
    if (Math.floor(until.getTime() / QUARTER_HOUR_MS) !== Math.floor(from.getTime() / QUARTER_HOUR_MS)) {
      options.log("  this window holds a quarter hour's sampling pass (every channel's webhook read and a check kept, " +
        "once per 45 passes): it weighs more here than over a quarter hour");
    }
    const processes = 1 + childrenOf(pid).length;
    const { checked, passes } = await checksSince(sql, from);
    const statements = await sql<{ calls: number; ms: number; query: string }[]>`
      select calls::int, total_exec_time::float8 as ms, query from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database()) and query not ilike '%pg_stat_statements%'
      order by total_exec_time desc limit 6`;
    const vacuums = [...await autovacuumRuns(sql)].map(([table, runs]) => [table, runs - (vacuumsBefore.get(table) ?? 0)] as const).filter(([, runs]) => runs > 0);
    options.log(`  PostgreSQL CPU by process: ${describeClusterCpu(before.pg, after.pg, Math.max(1, passes), "per pass")}; ` +
      `autovacuum and autoanalyze runs in the window: ${vacuums.map(([table, runs]) => `${table} ${runs}`).join(", ") || "none"}`);
    options.log(`  PostgreSQL time per pass by statement: ${statements.map((st) =>
      `${fmt.dec(st.ms / Math.max(1, passes), 1)} ms × ${fmt.dec(st.calls / Math.max(1, passes), 1)} ${st.query.replace(/\s+/g, " ").slice(0, 60)}`).join(" | ")}`);
    return {
      passes, checked, appMs: (after.app.cpuMs - before.app.cpuMs) / checked, appUserMs: (after.app.userMs - before.app.userMs) / checked, pgMs: ((totalCpuSeconds(after.pg) - totalCpuSeconds(before.pg)) * 1000) / checked,
      peakRssMb: after.app.peakRssMb, medianRssMb: median(samples), processes,
    };
  } finally {
    if (runner.exitCode === null) {
      const exited = new Promise((resolve) => runner.once("exit", resolve));
      runner.kill("SIGTERM");
      await exited;
    }
  }
}

export const runnerFootprint: BenchSection = {
  name: "runner",
  title: "The self-hosted runner: 300 channels every 20 s, one plain node process",
  options: {
    "runner-channels": { type: "string", default: "300" },
    "runner-every": { type: "string", default: "20" },
    "runner-minutes": { type: "string", default: "2" },
    "runner-origins": { type: "string", default: "10" },
    "runner-latency": { type: "string", default: "50" },
    /** Which runners to measure (per-instance, bulk), and whether to measure the floor after them. */
    "runner-modes": { type: "string", default: "per-instance,bulk,floor" },
    /**
     * Flags for the runner's node, space-separated, to try one (README's command passes none); give it
     * with `=` (`--runner-node-flags=--min-semi-space-size=16`): a value starting with `-` is refused.
     */
    "runner-node-flags": { type: "string", default: "" },
    /** A directory: each runner also writes a V8 CPU profile there when it stops. */
    "runner-profile": { type: "string", default: "" },
  },
  async run(args: BenchArgs, log) {
    const channels = Number(args["runner-channels"]);
    const everyS = Number(args["runner-every"]);
    const minutes = Number(args["runner-minutes"]);
    const origins = Number(args["runner-origins"]);
    const latencyMs = Number(args["runner-latency"]);
    const profileDir = String(args["runner-profile"] ?? "") || undefined;
    buildCli();

    const cluster = await startBenchCluster({ autovacuum: "on" });
    const fleet = await startSimulatorFleet({ origins, latencyMs, apiKey: GATEWAY_KEY });
    try {
      const url = await cluster.createDatabase("runner");
      const sql = createSql(url, { max: 1 });
      await migrate(sql);
      await sql`create extension if not exists pg_stat_statements`;
      const secretKey = generateSecretKey();
      await seedChannels(sql, fleet, { count: channels, apiKey: GATEWAY_KEY, secretKey, intervalSeconds: everyS, prefix: RUNNER_PREFIX });
      const postmaster = postmasterPid(cluster.port);
      log(`${channels} channels on ${origins} origins, latency ${latencyMs} ms, \`node dist/sentinela.mjs monitor --every ${everyS}s\` ` +
        `for ${minutes} min per mode (each runner's first pass excluded from the figures)`);

      const rows: ResultRow[] = [];
      const wanted = new Set(String(args["runner-modes"]).split(",").map((m) => m.trim()));
      const modes = [{ name: "per instance", flag: "per-instance", bulk: false }, { name: "bulk reads", flag: "bulk", bulk: true }];
      const nodeFlags = String(args["runner-node-flags"]).split(" ").filter(Boolean);
      for (const mode of modes.filter((m) => wanted.has(m.flag))) {
        await setGlobalKeys(sql, secretKey, mode.bulk);
        const figures = await measureRunner({
          sql, url, secretKey, fleet, postmaster, everyS, minutes, log, nodeFlags,
          profileDir: profileDir && path.join(profileDir, mode.bulk ? "bulk" : "per-instance"),
        });
        log(`${mode.name}: ${figures.passes} passes, ${fmt.int(figures.checked)} checks; app ${fmt.dec(figures.appMs, 3)} ms ` +
          `(user ${fmt.dec(figures.appUserMs, 3)}, kernel ${fmt.dec(figures.appMs - figures.appUserMs, 3)}) and ` +
          `PostgreSQL ${fmt.dec(figures.pgMs, 3)} ms CPU per check; RSS median ${fmt.int(figures.medianRssMb)} MB, ` +
          `peak ${fmt.int(figures.peakRssMb)} MB`);
        const total = figures.appMs + figures.pgMs;
        rows.push(
          { metric: `runner, ${mode.name}: CPU per check, app`, sentinela: `${fmt.dec(figures.appMs, 3)} ms` },
          { metric: `runner, ${mode.name}: CPU per check, PostgreSQL`, sentinela: `${fmt.dec(figures.pgMs, 3)} ms` },
          {
            metric: `runner, ${mode.name}: CPU per check, app + PostgreSQL`, sentinela: `${fmt.dec(total, 3)} ms`,
            kuma: `${UPTIME_KUMA.cpuMsPerCheck} ms`, goal: "≤ 0.350 ms", ok: total <= 0.35,
          },
          {
            metric: `runner, ${mode.name}: resident memory, peak`, sentinela: `${fmt.int(figures.peakRssMb)} MB`,
            goal: "≤ 150 MB", ok: figures.peakRssMb <= 150,
          },
          {
            metric: `runner, ${mode.name}: processes (no npm or tsx around it)`, sentinela: String(figures.processes),
            goal: "1", ok: figures.processes === 1,
          },
        );
      }
      if (wanted.has("floor")) rows.push(...await requestFloor({ fleet, channels, origins, everyS, minutes, log }));
      await sql.end({ timeout: 5 });
      return rows;
    } finally {
      await fleet.stop();
      await cluster.stop();
    }
  },
};

/**
 * The floor under a per-instance runner (scripts/bench/request-floor.mjs): a bare node:net client sending
 * the runner's state reads to the same simulators, at the runner's pattern (one burst per interval, 50
 * at once, 20 per origin) and then back to back, nothing else in the process. Its CPU per request is the
 * least a Node process here pays per check read instance by instance, before any database or logic.
 */
async function requestFloor(options: {
  fleet: SimulatorFleet; channels: number; origins: number; everyS: number; minutes: number; log: (line: string) => void;
}): Promise<ResultRow[]> {
  const { fleet, channels, origins } = options;
  const targets = fleet.urls.map((url, origin) => ({
    url, names: Array.from({ length: channels }, (_, i) => i).filter((i) => i % origins === origin).map((i) => `${RUNNER_PREFIX}-${i}`),
  }));
  const floor = (everyMs: number, passes: number) => {
    const run = spawnSync(process.execPath, ["scripts/bench/request-floor.mjs", JSON.stringify({
      targets, key: GATEWAY_KEY, everyMs, passes, concurrency: 50, perOrigin: 20,
    })], { cwd: ROOT, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`request-floor.mjs failed: ${run.stderr}`);
    const figures = JSON.parse(run.stdout) as { requests: number; userMs: number; systemMs: number };
    return { ms: (figures.userMs + figures.systemMs) / figures.requests, userMs: figures.userMs / figures.requests, requests: figures.requests };
  };
  const paced = floor(options.everyS * 1000, Math.round((options.minutes * 60) / options.everyS) + 1);
  const busy = floor(0, 30);
  options.log(`bare node:net client, the runner's ${channels} state reads every ${options.everyS} s: ${fmt.int(paced.requests)} requests, ` +
    `${fmt.dec(paced.ms, 3)} ms CPU per request (user ${fmt.dec(paced.userMs, 3)}); back to back: ${fmt.dec(busy.ms, 3)} ms (user ` +
    `${fmt.dec(busy.userMs, 3)}). The difference is the idle gap: connections the gateway closed, and a process gone cold`);
  return [
    { metric: `floor: a bare Node client, the same reads every ${options.everyS} s, CPU per request`, sentinela: `${fmt.dec(paced.ms, 3)} ms` },
    { metric: "floor: the same reads back to back, CPU per request", sentinela: `${fmt.dec(busy.ms, 3)} ms` },
  ];
}
