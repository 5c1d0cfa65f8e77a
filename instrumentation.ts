import { assertStartupEnv } from "@/lib/env-startup";

/** Runs once when the server starts: refuse to start misconfigured, naming the variable. */
export async function register() {
  for (const warning of assertStartupEnv()) console.warn(`[sentinela] ${warning}`);
}
