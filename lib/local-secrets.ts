import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_DATA_DIR } from "@/lib/db/embedded";
import { env, EnvError } from "@/lib/env";

/**
 * Secrets for the embedded default only: generated once, kept beside the embedded database in
 * `.data/` (mode 600) so a second `npm run demo` can still decrypt what the first one stored. With a
 * DATABASE_URL there is no such file: the environment must provide every secret.
 */

export interface LocalSecrets {
  cronSecret: string;
  channelSecretKey: string;
}

export function loadOrCreateLocalSecrets(dataDir = DEFAULT_DATA_DIR): LocalSecrets {
  const file = path.join(dataDir, "local-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as LocalSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: LocalSecrets = {
    cronSecret: randomBytes(24).toString("base64url"),
    channelSecretKey: randomBytes(32).toString("base64"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** CHANNEL_SECRET_KEY, or in the embedded default the locally generated one. */
export function channelSecretKey(): string {
  const { CHANNEL_SECRET_KEY, DATABASE_URL } = env();
  if (CHANNEL_SECRET_KEY) return CHANNEL_SECRET_KEY;
  if (!DATABASE_URL) return loadOrCreateLocalSecrets().channelSecretKey;
  throw new EnvError("CHANNEL_SECRET_KEY", "is not set (needed to encrypt and decrypt gateway API keys)");
}
