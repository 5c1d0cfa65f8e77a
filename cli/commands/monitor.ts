import { setTimeout as sleep } from "node:timers/promises";
import { keepConnectionsFor } from "@/lib/db/client";
import { env } from "@/lib/env";
import { runConfiguredPass } from "@/lib/monitor-runtime";
import type { PassSummary } from "@/lib/monitor/types";
import { parseCommandArgs, parseDuration, UsageError } from "@/cli/usage";

const ONCE_BUDGET_MS = 15 * 60_000;

function describe(summary: PassSummary): string {
  return (
    `pass ${summary.runId}: checked ${summary.checked}, transitions ${summary.transitions}, ` +
    `reconnects ${summary.reconnects}, failed ${summary.failed}, remaining ${summary.remaining}, ` +
    `${summary.durationMs} ms`
  );
}

export async function monitorCommand(args: string[]): Promise<void> {
  const { values } = parseCommandArgs(args, {
    once: { type: "boolean" },
    all: { type: "boolean" },
    json: { type: "boolean" },
    every: { type: "string" },
  });
  if (values.once && values.every) throw new UsageError("use either --once or --every, not both");
  if (!values.once && !values.every) throw new UsageError("monitor needs --once or --every 30s");
  if (values.once) {
    const summary = await runConfiguredPass({ trigger: "cli", all: values.all, budgetMs: ONCE_BUDGET_MS });
    console.log(values.json ? JSON.stringify(summary) : describe(summary));
    return;
  }
  if (values.all) throw new UsageError("--all goes with --once");
  const intervalMs = parseDuration(values.every!);
  // A configuration error never heals: fail now, once, rather than on every pass forever.
  env();
  // The database connections outlive the wait between passes (one interval, and a margin for a slow pass).
  keepConnectionsFor((2 * intervalMs) / 1000);
  await runEvery(intervalMs, Boolean(values.json));
}

/** The self-hosted runner: one pass per tick; a signal lets the current pass finish, then stops. */
async function runEvery(intervalMs: number, json: boolean): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  console.error(`monitor: a pass every ${intervalMs / 1000} s (Ctrl-C stops after the current pass)`);
  while (!stop.signal.aborted) {
    const started = Date.now();
    try {
      const summary = await runConfiguredPass({ trigger: "runner", budgetMs: Math.max(intervalMs * 2, 60_000) });
      console.log(json ? JSON.stringify(summary) : describe(summary));
    } catch (error) {
      console.error("monitor: pass failed:", error instanceof Error ? error.message : error);
    }
    const wait = intervalMs - (Date.now() - started);
    if (wait > 0) await sleep(wait, undefined, { signal: stop.signal }).catch(() => {});
  }
}
