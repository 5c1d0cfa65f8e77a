import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { createServerClient } from "@supabase/ssr";
import type { SupabaseClientOptions } from "@supabase/supabase-js";
import WebSocket from "ws";
import { startAuthServer } from "@/dev/auth-server/server";
import { generateSecretKey } from "@/lib/crypto/secret-box";
import { readChannelListQuery } from "@/lib/channels/channel-list-query";
import { selectChannels } from "@/lib/channels/select-channels";
import { listChannels, listDailyUptimes, listUptimeWindows } from "@/lib/db/channel-health";
import { createSql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { runAsUser } from "@/lib/db/sessions";
import { buildIfNeeded } from "@/scripts/demo/build-if-needed";
import { startThrowawayCluster, type ThrowawayCluster } from "@/test/pg-cluster";
import { seedDashboardBench } from "./seed-dashboard";

/**
 * Server-side render time and weight of /channels and /channels/[id] for one tenant of 200 and of 1,000
 * channels with 90 days of history, on a local PostgreSQL (issue 12 point 8: under 200 kB of HTML at
 * 200 channels, the first screen's median under 150 ms at 1,000). For each size: a fresh database
 * seeded set-wise, the production build (`next start`) against it with the local auth server for a
 * real session, full HTTP responses timed (status 200, body read to the end) one at a time after a
 * warm-up. Exits 1 when a figure misses its target.
 *   npx tsx scripts/bench/dashboard-render.ts [--channels 200,1000] [--requests 30] [--warmup 10] [--save-html DIR]
 */

const { values } = parseArgs({
  options: {
    channels: { type: "string", default: "200,1000" },
    requests: { type: "string", default: "30" },
    warmup: { type: "string", default: "10" },
    "save-html": { type: "string" },
  },
});
const SIZES = values.channels.split(",").map(Number);
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
/** Issue 12 point 8. */
const MAX_LIST_BYTES_AT_200 = 200 * 1024;
const MAX_MEDIAN_MS = 150;
const PUBLISHABLE_KEY = "sb_publishable_sentinela_bench";

type Transport = NonNullable<NonNullable<SupabaseClientOptions<"public">["realtime"]>["transport"]>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(label: string, samples: number[], extra = "") {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log(`${label.padEnd(34)} median ${f(percentile(sorted, 50))} ms   p95 ${f(percentile(sorted, 95))} ms   min ${f(sorted[0])} ms   max ${f(sorted.at(-1)!)} ms${extra}`);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** Session cookies exactly as @supabase/ssr writes them in the browser, from a password sign-in. */
async function signIn(authUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const supabase = createServerClient(authUrl, PUBLISHABLE_KEY, {
    realtime: { transport: WebSocket as unknown as Transport },
    cookies: {
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      setAll: (list) => list.forEach(({ name, value }) => jar.set(name, value)),
    },
  });
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`bench sign-in failed: ${error.message}`);
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

async function waitForHttp(url: string, child: ChildProcess) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.status > 0, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within 60 s`);
}

async function timePage(base: string, pagePath: string, cookie: string) {
  const once = async () => {
    const started = performance.now();
    const response = await fetch(`${base}${pagePath}`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`${pagePath} answered ${response.status}: ${body.slice(0, 200)}`);
    return { ms, bytes: Buffer.byteLength(body), body };
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  let last = { bytes: 0, body: "" };
  for (let i = 0; i < REQUESTS; i++) {
    const sample = await once();
    samples.push(sample.ms);
    last = sample;
  }
  return { samples, ...last };
}

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup() {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
}
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
process.on("SIGTERM", () => void cleanup().then(() => process.exit(143)));

interface Measured {
  median: number;
  p95: number;
  bytes: number;
}

/** One tenant of `channels` channels in a database of its own, served by its own `next start`. */
async function measureSize(cluster: ThrowawayCluster, channels: number): Promise<Record<string, Measured>> {
  const local: (() => Promise<unknown>)[] = [];
  try {
    const url = await cluster.createDatabase(`sentinela_bench_${channels}`);
    const sql = createSql(url, { max: 4 });
    local.push(() => sql.end({ timeout: 5 }));
    await migrate(sql, path.resolve("supabase", "migrations"));

    let started = performance.now();
    const seed = await seedDashboardBench(sql, { channels, now: new Date() });
    console.log(`\nseeded ${channels} channels in ${((performance.now() - started) / 1000).toFixed(1)} s:`, seed.rows);

    const auth = await startAuthServer({
      users: [{ id: seed.userId, email: seed.email, password: seed.password }], allowProduction: true, log: () => {},
    });
    local.push(() => auth.stop());
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const app = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: url,
        NEXT_PUBLIC_SUPABASE_URL: auth.url, NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: PUBLISHABLE_KEY, APP_URL: base,
        CRON_SECRET: "bench-cron-secret-0123456789abcdef", CHANNEL_SECRET_KEY: generateSecretKey(), MONITOR_INTERVAL_SECONDS: "30",
        SENTINELA_DEMO: "",
      },
    });
    local.push(() => new Promise<void>((resolve) => (app.exitCode !== null ? resolve() : (app.once("exit", () => resolve()), app.kill("SIGTERM")))));
    await waitForHttp(`${base}/api/health`, app);
    const cookie = await signIn(auth.url, seed.email, seed.password);

    console.log(`${channels} channels, ${WARMUP} warm-up + ${REQUESTS} timed requests per page, one at a time, full body read:`);
    const results: Record<string, Measured> = {};
    for (const [label, pagePath] of [
      ["/channels", "/channels"],
      ["/channels (last page, by name)", "/channels?sort=name&page=999"],
      ["/channels (by 30-day uptime)", "/channels?sort=uptime"],
      ["/channels/[id] (connected)", `/channels/${seed.connectedChannelId}`],
      ["/channels/[id] (needs QR)", `/channels/${seed.worstChannelId}`],
    ]) {
      // A fresh pass, so the pages render as they do while the monitor runs (no liveness banner).
      await sql`insert into public.monitor_runs (trigger, started_at, finished_at, checked, duration_ms) values ('cron', now(), now(), ${channels}, 900)`;
      try {
        const { samples, bytes, body } = await timePage(base, pagePath, cookie);
        if (values["save-html"]) {
          await mkdir(values["save-html"], { recursive: true });
          await writeFile(path.join(values["save-html"], `${channels}-${label.replace(/[^\w]+/g, "-")}.html`), body);
        }
        const wire = gzipSync(body).length;
        results[label] = { ...summary(`GET ${label}`, samples, `   ${(bytes / 1024).toFixed(0)} kB HTML (${(wire / 1024).toFixed(0)} kB gzipped)`), bytes };
      } catch (error) {
        console.log(`GET ${label}: not measured: ${error instanceof Error ? error.message : String(error)}`);
        results[label] = { median: Infinity, p95: Infinity, bytes: Infinity };
      }
    }

    // The data alone, as the page reads it (through RLS, in one transaction), for scale.
    const data: number[] = [];
    const query = readChannelListQuery(new URLSearchParams());
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      started = performance.now();
      await runAsUser(sql, { sub: seed.userId }, async (tx) => {
        const now = new Date();
        const ids = selectChannels(await listChannels(tx, seed.tenantId), query).rows.map((row) => row.id);
        await listUptimeWindows(tx, seed.tenantId, ids, now, "America/Sao_Paulo");
        return listDailyUptimes(tx, seed.tenantId, ids, now, "America/Sao_Paulo");
      });
      if (i >= WARMUP) data.push(performance.now() - started);
    }
    summary("/channels' reads (data only)", data);
    return results;
  } finally {
    for (const fn of local.reverse()) await fn().catch(() => {});
  }
}

try {
  buildIfNeeded();
  const cluster = await startThrowawayCluster();
  cleanups.push(() => cluster.stop());

  const bySize = new Map<number, Record<string, Measured>>();
  for (const channels of SIZES) bySize.set(channels, await measureSize(cluster, channels));

  console.log("\n/channels, first screen:");
  const misses: string[] = [];
  for (const [channels, results] of bySize) {
    const list = results["/channels"];
    console.log(`  ${String(channels).padStart(5)} channels: ${(list.bytes / 1024).toFixed(0).padStart(4)} kB HTML, median ${list.median.toFixed(1)} ms`);
    if (channels === 200 && list.bytes >= MAX_LIST_BYTES_AT_200) misses.push(`/channels at 200 channels weighs ${(list.bytes / 1024).toFixed(0)} kB (target < 200 kB)`);
    for (const [label, result] of Object.entries(results)) {
      if (result.median >= MAX_MEDIAN_MS) misses.push(`${label} at ${channels} channels: median ${result.median.toFixed(1)} ms (target < ${MAX_MEDIAN_MS} ms)`);
    }
  }
  console.log(misses.length === 0 ? "\nevery target met" : `\nmissed:\n  ${misses.join("\n  ")}`);
  process.exitCode = misses.length === 0 ? 0 : 1;
} finally {
  await cleanup();
}
