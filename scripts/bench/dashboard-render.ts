import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { createServerClient } from "@supabase/ssr";
import type { SupabaseClientOptions } from "@supabase/supabase-js";
import WebSocket from "ws";
import { startAuthServer } from "@/dev/auth-server/server";
import { generateSecretKey } from "@/lib/crypto/secret-box";
import { listChannelHealth } from "@/lib/db/channel-health";
import { createSql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { runAsUser } from "@/lib/db/sessions";
import { buildIfNeeded } from "@/scripts/demo/build-if-needed";
import { startThrowawayCluster } from "@/test/pg-cluster";
import { seedDashboardBench } from "./seed-dashboard";

/**
 * Point 10 of the dashboard issue: server-side render time of /channels and /channels/[id] with 200
 * channels and 90 days of history in one tenant, on a local PostgreSQL. Seeds a throwaway cluster,
 * starts the production build (`next start`) against it with the local auth server for a real session,
 * and times full HTTP responses (status 200, body read to the end) after a warm-up.
 *   npx tsx scripts/bench/dashboard-render.ts [--channels 200] [--requests 30] [--warmup 10]
 */

const { values } = parseArgs({
  options: {
    channels: { type: "string", default: "200" },
    requests: { type: "string", default: "30" },
    warmup: { type: "string", default: "10" },
  },
});
const CHANNELS = Number(values.channels);
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
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
    return { ms, bytes: body.length };
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const sample = await once();
    samples.push(sample.ms);
    bytes = sample.bytes;
  }
  return { samples, bytes };
}

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup() {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
}
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
process.on("SIGTERM", () => void cleanup().then(() => process.exit(143)));

try {
  buildIfNeeded();
  const cluster = await startThrowawayCluster();
  cleanups.push(() => cluster.stop());
  const url = await cluster.createDatabase("sentinela_bench");
  const sql = createSql(url, { max: 4 });
  cleanups.push(() => sql.end({ timeout: 5 }));
  await migrate(sql, path.resolve("supabase", "migrations"));

  let started = performance.now();
  const seed = await seedDashboardBench(sql, { channels: CHANNELS, now: new Date() });
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s:`, seed.rows);

  const auth = await startAuthServer({
    users: [{ id: seed.userId, email: seed.email, password: seed.password }], allowProduction: true, log: () => {},
  });
  cleanups.push(() => auth.stop());
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
  cleanups.push(() => new Promise<void>((resolve) => (app.exitCode !== null ? resolve() : (app.once("exit", () => resolve()), app.kill("SIGTERM")))));
  await waitForHttp(`${base}/api/health`, app);
  const cookie = await signIn(auth.url, seed.email, seed.password);

  console.log(`\n${CHANNELS} channels, ${WARMUP} warm-up + ${REQUESTS} timed requests per page, one at a time, full body read:`);
  const results: Record<string, { median: number; p95: number }> = {};
  for (const [label, pagePath] of [
    ["/channels", "/channels"],
    ["/channels/[id] (connected)", `/channels/${seed.connectedChannelId}`],
    ["/channels/[id] (needs QR)", `/channels/${seed.worstChannelId}`],
  ]) {
    // A fresh pass, so the pages render as they do while the monitor runs (no liveness banner).
    await sql`insert into public.monitor_runs (trigger, started_at, finished_at, checked, duration_ms) values ('cron', now(), now(), ${CHANNELS}, 900)`;
    try {
      const { samples, bytes } = await timePage(base, pagePath, cookie);
      results[label] = summary(`GET ${label}`, samples, `   ${(bytes / 1024).toFixed(0)} kB`);
    } catch (error) {
      console.log(`GET ${label}: not measured: ${error instanceof Error ? error.message : String(error)}`);
      results[label] = { median: Infinity, p95: Infinity };
    }
  }

  // The data alone, as the page reads it (through RLS, in one transaction), for scale.
  const data: number[] = [];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    started = performance.now();
    await runAsUser(sql, { sub: seed.userId }, (tx) => listChannelHealth(tx, seed.tenantId, new Date(), "America/Sao_Paulo"));
    if (i >= WARMUP) data.push(performance.now() - started);
  }
  summary("listChannelHealth (data only)", data);

  const slow = Object.entries(results).filter(([, r]) => r.median >= 150);
  console.log(slow.length === 0 ? "\nall pages under the 150 ms median target" : `\nover the 150 ms median target: ${slow.map(([l]) => l).join(", ")}`);
  process.exitCode = slow.length === 0 ? 0 : 1;
} finally {
  await cleanup();
}
