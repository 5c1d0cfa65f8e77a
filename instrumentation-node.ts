import { EnvError } from "@/lib/env";
import { assertStartupEnv } from "@/lib/env-startup";

/** Node.js server start: a misconfigured server exits, naming the variable, instead of serving. */
try {
  for (const warning of assertStartupEnv()) console.warn(`[sentinela] ${warning}`);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`[sentinela] ${error.message}. Refusing to start.`);
  process.exit(1);
}
