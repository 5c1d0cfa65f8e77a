import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { E2E } from "./e2e/support/env";

/**
 * Real Chromium against the production build: Debian's where it is installed (browsers cannot be
 * downloaded here), else Playwright's own (`npx playwright install chromium`; scripts/ensure-test-tools.ts
 * checks for one or the other before the suite starts).
 */
const SYSTEM_CHROMIUM = "/usr/bin/chromium";
export default defineConfig({
  testDir: "e2e",
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  timeout: 60_000,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  outputDir: "test-results",
  use: {
    baseURL: E2E.appUrl,
    // Pages follow the browser's language until one is picked: the suite reads the Portuguese words.
    locale: "pt-BR",
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: "npx tsx e2e/serve.ts",
    url: `${E2E.appUrl}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
