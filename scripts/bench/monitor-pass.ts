import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { startEvolutionSimulator } from "@/dev/evolution-simulator/server";
import { encryptSecret, generateSecretKey } from "@/lib/crypto/secret-box";
import { createSql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { startThrowawayCluster } from "@/test/pg-cluster";

/**
 * Times `sentinela monitor --once` over N simulated channels at a fixed gateway latency, and counts the
 * SQL statements the pass issued (pg_stat_statements on a throwaway PostgreSQL 15 cluster).
 *   npx tsx scripts/bench/monitor-pass.ts [--channels 2000] [--latency 100] [--concurrency 50]
 */

const { values } = parseArgs({
  options: {
    channels: { type: "string", default: "2000" },
    latency: { type: "string", default: "100" },
    concurrency: { type: "string", default: "50" },
  },
});
const channels = Number(values.channels);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const GATEWAY_KEY = "bench-gateway-key";

const cluster = await startThrowawayCluster({ shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "top" });
const simulator = await startEvolutionSimulator({ globalApiKey: GATEWAY_KEY, latencyMs, seed: 1 });
try {
  const url = await cluster.createDatabase("bench");
  const sql = createSql(url, { max: 4 });
  await migrate(sql);
  await sql`create extension if not exists pg_stat_statements`;
  const secretKey = generateSecretKey();
  const [tenant] = await sql<{ id: string }[]>`insert into public.tenants (slug, name) values ('bench', 'Bench') returning id`;
  const rows = Array.from({ length: channels }, (_, i) => {
    const name = `bench-${i}`;
    simulator.addInstance({ name, scenario: "healthy" });
    return { name, key: encryptSecret(GATEWAY_KEY, secretKey), webhook: encryptSecret(`wh-${i}`, secretKey) };
  });
  await sql`
    with input as (select * from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as r(name text, key text, webhook text)),
    c as (
      insert into public.channels (tenant_id, display_name, gateway_url, instance_name)
      select ${tenant.id}, name, ${simulator.url}, name from input returning id, tenant_id, instance_name
    ), s as (
      insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext, webhook_secret_ciphertext)
      select c.id, c.tenant_id, i.key, i.webhook from c join input i on i.name = c.instance_name
    )
    insert into public.channel_status (channel_id, tenant_id) select id, tenant_id from c
  `;

  const passes = [
    { label: "first pass (every channel unknown → connected)", args: ["--once", "--json"] },
    { label: "steady pass (--all, nothing changes)", args: ["--once", "--all", "--json"] },
  ];
  console.log(`\n${channels} channels, gateway latency ${latencyMs} ms, concurrency ${concurrency}`);
  console.log(`ideal: N × latency ÷ concurrency = ${(channels * latencyMs) / concurrency} ms\n`);
  for (const pass of passes) {
    await sql`select pg_stat_statements_reset()`;
    const started = performance.now();
    // Asynchronous on purpose: the simulator runs in this process and must keep answering.
    const run = await runCli(["monitor", ...pass.args], {
        ...process.env,
        DATABASE_URL: url,
        CHANNEL_SECRET_KEY: secretKey,
        MONITOR_CONCURRENCY: String(concurrency),
        GATEWAY_TIMEOUT_MS: "10000",
        // The simulator is on loopback, which the outbound guard refuses unless allowed: exactly its port.
        GATEWAY_ALLOWED_HOSTS: new URL(simulator.url).host,
    });
    const wallMs = Math.round(performance.now() - started);
    if (run.status !== 0) throw new Error(`monitor failed (${run.status}): ${run.stderr}`);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    const statements = await sql<{ calls: number; query: string }[]>`
      select calls::int, query from pg_stat_statements
      where dbid = (select oid from pg_database where datname = 'bench')
        and query not ilike '%pg_stat_statements%'
      order by calls desc
    `;
    const total = statements.reduce((sum, s) => sum + s.calls, 0);
    console.log(`${pass.label}`);
    console.log(`  wall time of the CLI process: ${wallMs} ms (pass itself: ${summary.durationMs} ms)`);
    console.log(`  summary: ${JSON.stringify(summary)}`);
    console.log(`  SQL statements issued: ${total}`);
    for (const s of statements.slice(0, 8)) console.log(`    ${String(s.calls).padStart(5)}  ${s.query.replace(/\s+/g, " ").slice(0, 90)}`);
    console.log();
  }
  await sql.end();
} finally {
  await simulator.stop();
  await cluster.stop();
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/sentinela.mjs", ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}
