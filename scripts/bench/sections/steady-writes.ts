import { generateSecretKey } from "@/lib/crypto/secret-box";
import { createSql } from "@/lib/db/client";
import { createWebhookAdoptionStore } from "@/lib/db/downstream";
import { createIncidentStore } from "@/lib/db/incidents-store";
import { migrate } from "@/lib/db/migrate";
import { createMonitorStore } from "@/lib/db/monitor-store";
import { incidentStep } from "@/lib/incidents/evaluate-incidents";
import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import { runMonitorPass, type PassDeps } from "@/lib/monitor/run-monitor-pass";
import { parseAllowList } from "@/lib/net/allow-list";
import { createProviders } from "@/lib/providers/registry";
import {
  clusterCpuSeconds, databaseBytes, diffTableStats, fmt, percentile, postmasterPid, readTableStats, readWal,
  seedChannels, startBenchCluster, startSimulatorFleet, statementCalls, UPTIME_KUMA, walBytesBetween,
  type BenchSection, type ResultRow,
} from "../bench-kit";

/**
 * Issue 13, point 1: what an unchanged check costs the database. N healthy channels over several gateway
 * origins, checked by ≥ 100 steady passes one interval apart in simulated time (passes run back to back;
 * the clock the monitor sees jumps one interval between them), so a steady hour (raw-check samples,
 * webhook reads every 15 min, the hour's uptime materialized once) happens in a couple of real minutes.
 * CHECKPOINT runs every `--steady-checkpoint` simulated seconds (Supabase's checkpoint_timeout is 5 min),
 * so the full-page images a real checkpoint cycle causes are in the WAL figure.
 */

const GATEWAY_KEY = "bench-gateway-key";

export const steadyWrites: BenchSection = {
  name: "steady-writes",
  title: "An unchanged check writes (almost) nothing",
  options: {
    "steady-channels": { type: "string", default: "1000" },
    "steady-passes": { type: "string", default: "120" },
    "steady-warmup": { type: "string", default: "4" },
    "steady-interval": { type: "string", default: "30" },
    "steady-latency": { type: "string", default: "50" },
    "steady-concurrency": { type: "string", default: "200" },
    "steady-origins": { type: "string", default: "10" },
    "steady-checkpoint": { type: "string", default: "300" },
  },
  async run(args, log) {
    const channels = Number(args["steady-channels"]);
    const passes = Number(args["steady-passes"]);
    const warmup = Number(args["steady-warmup"]);
    const intervalS = Number(args["steady-interval"]);
    const latencyMs = Number(args["steady-latency"]);
    const concurrency = Number(args["steady-concurrency"]);
    const origins = Number(args["steady-origins"]);
    const checkpointEvery = Math.max(1, Math.round(Number(args["steady-checkpoint"]) / intervalS));

    const cluster = await startBenchCluster();
    const fleet = await startSimulatorFleet({ origins, latencyMs, apiKey: GATEWAY_KEY });
    try {
      const url = await cluster.createDatabase("steady");
      const meters = createSql(url, { max: 1 });
      await migrate(meters);
      await meters`create extension if not exists pg_stat_statements`;
      const secretKey = generateSecretKey();
      await seedChannels(meters, fleet, { count: channels, apiKey: GATEWAY_KEY, secretKey, intervalSeconds: intervalS });
      const postmaster = postmasterPid(cluster.port);
      log(`${channels} channels on ${origins} gateway origins, gateway latency ${latencyMs} ms, concurrency ${concurrency}, ` +
        `every ${intervalS} s (simulated); ${warmup} warm-up passes, then ${passes} measured; CHECKPOINT every ${checkpointEvery} passes`);

      // The monitor's clock: real time within a pass, one interval further at each pass.
      let offsetMs = 0;
      const clock = () => new Date(Date.now() + offsetMs);
      let nextPassAt = Date.now();
      const outbound = { allowed: parseAllowList(fleet.hosts) };

      const runPasses = async (count: number, onPass?: (index: number) => Promise<void>) => {
        // The app's own pool, closed after: its backends exit and report their row counts.
        const sql = createSql(url, { max: 10 });
        const deps: PassDeps = {
          store: createMonitorStore(sql),
          providers: createProviders({ timeoutMs: 10_000, outbound }),
          clock, random: Math.random, secretKey, policy: DEFAULT_RECONNECT_POLICY,
          webhookBaseUrl: "https://sentinela.bench.example",
          webhookAdoption: { store: createWebhookAdoptionStore(sql, secretKey), outbound },
          afterWrites: incidentStep({ store: createIncidentStore(sql) }),
        };
        const results: { durationMs: number; checked: number }[] = [];
        try {
          for (let i = 0; i < count; i++) {
            offsetMs = nextPassAt - Date.now();
            nextPassAt += intervalS * 1000;
            const summary = await runMonitorPass(deps, {
              trigger: "runner", concurrency, budgetMs: 300_000, checkReserveMs: 0,
            });
            results.push({ durationMs: summary.durationMs, checked: summary.checked });
            await onPass?.(i);
          }
        } finally {
          await sql.end({ timeout: 5 });
        }
        return results;
      };

      const first = await runPasses(warmup);
      log(`warm-up: ${first.map((r) => `${r.checked} in ${r.durationMs} ms`).join(", ")}`);

      await meters`checkpoint`;
      await meters`select pg_stat_statements_reset()`;
      const before = {
        wal: await readWal(meters), tables: await readTableStats(meters), bytes: await databaseBytes(meters),
        pgCpu: clusterCpuSeconds(postmaster), appCpu: process.cpuUsage(),
      };
      let checkpoints = 0;
      const measured = await runPasses(passes, async (i) => {
        if ((i + 1) % checkpointEvery === 0) {
          await meters`checkpoint`;
          checkpoints++;
        }
      });
      const appCpu = process.cpuUsage(before.appCpu);
      const pgCpu = clusterCpuSeconds(postmaster) - before.pgCpu;
      const after = { wal: await readWal(meters), tables: await readTableStats(meters), bytes: await databaseBytes(meters) };
      const statements = await statementCalls(meters);
      const walBytes = await walBytesBetween(meters, before.wal.lsn, after.wal.lsn);
      await meters.end({ timeout: 5 });

      const checks = measured.reduce((sum, r) => sum + r.checked, 0);
      const tables = diffTableStats(before.tables, after.tables).filter((t) => t.inserted + t.updated + t.deleted + Math.abs(t.bytes) > 0);
      const rows = tables.reduce((sum, t) => sum + t.inserted + t.updated + t.deleted, 0);
      const durations = measured.map((r) => r.durationMs);
      const idealMs = (channels * latencyMs) / concurrency;
      const median = percentile(durations, 50);
      const appMs = ((appCpu.user + appCpu.system) / 1000) / checks;
      const pgMs = (pgCpu * 1000) / checks;
      const walPerCheck = walBytes / checks;
      const growthPerCheck = (after.bytes - before.bytes) / checks;

      log(`measured: ${passes} passes, ${fmt.int(checks)} checks, ${checkpoints} checkpoints; WAL ${fmt.int(walBytes)} B in ` +
        `${fmt.int(after.wal.records - before.wal.records)} records, ${fmt.int(after.wal.fpi - before.wal.fpi)} full-page images`);
      log("rows written and growth per table over the window (per check):");
      for (const t of tables.sort((a, b) => b.inserted + b.updated + b.deleted - (a.inserted + a.updated + a.deleted))) {
        log(`  ${t.table.padEnd(26)} ins ${fmt.dec(t.inserted / checks, 3).padStart(7)}  upd ${fmt.dec(t.updated / checks, 3).padStart(7)} ` +
          `(HOT ${fmt.dec(t.hotUpdated / checks, 3)})  del ${fmt.dec(t.deleted / checks, 3).padStart(7)}  size ${fmt.bytes(t.bytes)}`);
      }
      log(`statements per pass: ${fmt.dec(statements.total / passes, 1)}; most called:`);
      for (const s of statements.top.slice(0, 8)) {
        log(`  ${fmt.dec(s.calls / passes, 1).padStart(6)}  ${s.query.replace(/\s+/g, " ").slice(0, 100)}`);
      }

      const rowsOut: ResultRow[] = [
        {
          metric: `pass time, median (p95) vs ideal N·L/C = ${fmt.ms(idealMs)}`,
          sentinela: `${fmt.ms(median)} (${fmt.ms(percentile(durations, 95))}), ${fmt.dec(median / idealMs)}×`,
        },
        { metric: "CPU per check: app (start-up excluded)", sentinela: `${fmt.dec(appMs, 3)} ms` },
        { metric: "CPU per check: PostgreSQL", sentinela: `${fmt.dec(pgMs, 3)} ms` },
        { metric: "CPU per check: app + PostgreSQL", sentinela: `${fmt.dec(appMs + pgMs, 3)} ms`, kuma: `${UPTIME_KUMA.cpuMsPerCheck} ms` },
        {
          metric: "WAL per check (disk writes)", sentinela: fmt.bytes(walPerCheck), kuma: `${UPTIME_KUMA.diskWriteKbPerCheck} KB`,
          goal: "≤ 300 B", ok: walPerCheck <= 300,
        },
        {
          metric: "database growth per check (data kept)", sentinela: fmt.bytes(growthPerCheck),
          kuma: `${UPTIME_KUMA.dataKeptBytesPerCheck} B`, goal: "≤ 17 B", ok: growthPerCheck <= 17,
        },
        { metric: "rows written per check", sentinela: fmt.dec(rows / checks, 3) },
        { metric: "statements per pass", sentinela: fmt.dec(statements.total / passes, 1) },
        { metric: "peak RSS of the monitor process", sentinela: `${fmt.int(process.resourceUsage().maxRSS / 1024)} MB` },
      ];
      return rowsOut;
    } finally {
      await fleet.stop();
      await cluster.stop();
    }
  },
};
