import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startStack } from "@/scripts/demo/stack";
import { E2E } from "./support/env";

/**
 * Playwright's web server: the demo's stack on the e2e ports, over a fresh throwaway database, with no
 * ticker (tests run passes themselves through the cron route). Expects `next build` to have run.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "sentinela-e2e-"));
const stack = await startStack({
  dataDir,
  ports: E2E.ports,
  cronSecret: E2E.cronSecret,
  channelSecretKey: E2E.channelSecretKey,
  appUrl: E2E.appUrl,
  monitorIntervalSeconds: E2E.monitorIntervalSeconds,
  ticker: false,
  log: (line) => console.log(`[e2e stack] ${line}`),
});

const stop = async () => {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
