import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateSecretKey } from "@/lib/crypto/secret-box";
import { createSql } from "@/lib/db/client";
import { demoInstanceName } from "@/lib/demo/seed-demo";
import { startStack } from "./stack";

/**
 * Measures push updates on the real demo stack (production build, PGlite, simulator, ticker): waits for
 * the first monitor pass to point the instance's gateway webhook at the app (drift repair), drops the
 * instance in the simulator, and times how long until the database — what /channels renders — shows it.
 * Expects `next build` to have run. Usage: npx tsx scripts/demo/measure-webhook-latency.ts [runs]
 */

const BASE_PORT = 45_100 + Math.floor(Math.random() * 800);
const runs = Number(process.argv[2] ?? 5);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "sentinela-latency-"));
  const appUrl = `http://127.0.0.1:${BASE_PORT}`;
  const stack = await startStack({
    dataDir,
    ports: { app: BASE_PORT, database: BASE_PORT + 1, simulator: BASE_PORT + 2, auth: BASE_PORT + 3 },
    cronSecret: "measure-webhook-latency-cron-secret",
    channelSecretKey: generateSecretKey(),
    appUrl,
    monitorIntervalSeconds: 30,
    ticker: true,
    log: (line) => console.log(`[stack] ${line}`),
  });
  const sql = createSql(stack.databaseUrl, { max: 2 });
  try {
    const instance = demoInstanceName("pousada-mar-azul", "Recepção Mar Azul");
    const [channel] = await sql<{ id: string }[]>`select id from public.channels where instance_name = ${instance}`;
    const state = async () => (await sql<{ state: string }[]>`
      select state from public.channel_status where channel_id = ${channel.id}`)[0].state;

    const wiredBy = Date.now() + 60_000;
    while (!stack.simulator.stats(instance).webhook && Date.now() < wiredBy) await sleep(100);
    const webhook = stack.simulator.stats(instance).webhook;
    if (!webhook) throw new Error("the first monitor pass did not set the webhook");
    console.log(`webhook set by the first pass: ${webhook.url} events=${webhook.events.join(",")}`);
    while ((await sql`select 1 from public.monitor_runs where finished_at is not null`).length === 0) await sleep(200);
    const [wired] = await sql<{ n: number; channels: number }[]>`
      select count(*)::int as n, count(distinct channel_id)::int as channels
      from public.channel_actions where kind = 'webhook_restore' and outcome = 'ok'`;
    console.log(`first pass done: ${wired.n} webhook_restore actions (ok) on ${wired.channels} channels`);
    while ((await state()) !== "connected") await sleep(100);

    const figures: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      stack.simulator.setScenario(instance, "drops_and_recovers", { recoverAfterMs: 600_000 });
      while ((await state()) !== "disconnected") {
        if (performance.now() - started > 10_000) throw new Error("no disconnect within 10 s");
        await sleep(2);
      }
      figures.push(performance.now() - started);
      stack.simulator.setScenario(instance, "healthy");
      while ((await state()) !== "connected") await sleep(5);
      await stack.simulator.idle();
    }
    const sorted = [...figures].sort((a, b) => a - b);
    console.log(`simulator drop → database shows disconnected, ${runs} runs: ` +
      `${figures.map((ms) => ms.toFixed(0)).join(", ")} ms (median ${sorted[Math.floor(runs / 2)].toFixed(0)} ms)`);
  } finally {
    await sql.end();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
