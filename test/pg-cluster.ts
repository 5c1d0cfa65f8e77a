import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

/**
 * A throwaway PostgreSQL cluster for tests: initdb into a fresh temp directory, serve on a free port on
 * 127.0.0.1 only (the system cluster keeps 5432), trust auth, fsync off. It must never outlive the run:
 * `stop()` removes it, and so do process exit and SIGINT/SIGTERM if nobody called `stop()`.
 */

const run = promisify(execFile);
const SUPERUSER = "postgres";

export interface ThrowawayCluster {
  port: number;
  /** Base URL without a database, e.g. `postgres://postgres@127.0.0.1:54000`. */
  baseUrl: string;
  url(dbName: string): string;
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Highest installed PostgreSQL ≥ 15 under Debian's layout, else whatever `pg_config` reports. */
export function findPgBinDir(): string {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+$/.test(name) && Number(name) >= 15)
      .filter((name) => existsSync(path.join(root, name, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return path.join(root, versions[0], "bin");
  }
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("No PostgreSQL ≥ 15 found: install it (initdb, pg_ctl) or put pg_config on PATH");
  }
}

const runningAsRoot = () => process.getuid?.() === 0;

/** initdb refuses root, so as root every server binary runs as the `postgres` OS user. */
function asServerUser(binary: string, args: string[]): [string, string[]] {
  return runningAsRoot() ? ["runuser", ["-u", "postgres", "--", binary, ...args]] : [binary, args];
}

function osUserIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function assertDbName(name: string): void {
  if (!DB_NAME.test(name)) throw new Error(`Not a safe database name: ${JSON.stringify(name)}`);
}

export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = findPgBinDir();
  const root = mkdtempSync(path.join(tmpdir(), "sentinela-pg-"));
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "server.log");
  if (runningAsRoot()) {
    const { uid, gid } = osUserIds("postgres");
    chownSync(root, uid, gid);
  }

  let started = false;
  let removed = false;
  const removeSync = () => {
    if (removed) return;
    removed = true;
    if (started) {
      try {
        const [cmd, args] = asServerUser(path.join(bin, "pg_ctl"), ["stop", "-D", dataDir, "-m", "immediate", "-w"]);
        execFileSync(cmd, args, { stdio: "ignore" });
      } catch {
        // Already down: nothing left but files.
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  const release = guardProcessExit(removeSync);

  try {
    const [initCmd, initArgs] = asServerUser(path.join(bin, "initdb"), [
      "-D", dataDir, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
    ]);
    await run(initCmd, initArgs);
    const port = await startServer(bin, root, dataDir, logFile, () => (started = true));
    const baseUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}`;
    const url = (dbName: string) => `${baseUrl}/${dbName}`;
    const admin = () => postgres(url("postgres"), { max: 1, onnotice: () => {}, connect_timeout: 10 });

    return {
      port,
      baseUrl,
      url,
      async createDatabase(name) {
        assertDbName(name);
        const sql = admin();
        try {
          await sql.unsafe(`create database "${name}"`);
        } finally {
          await sql.end({ timeout: 5 });
        }
        return url(name);
      },
      async dropDatabase(name) {
        assertDbName(name);
        const sql = admin();
        try {
          await sql.unsafe(`drop database if exists "${name}" with (force)`);
        } finally {
          await sql.end({ timeout: 5 });
        }
      },
      async stop() {
        release();
        removeSync();
      },
    };
  } catch (error) {
    release();
    removeSync();
    throw error;
  }
}

/** Starts the server on a free port, retrying when another process grabs the port first. */
async function startServer(
  bin: string,
  root: string,
  dataDir: string,
  logFile: string,
  onStarted: () => void,
): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const options = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${root}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    const [cmd, args] = asServerUser(path.join(bin, "pg_ctl"), [
      "start", "-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", options,
    ]);
    try {
      await run(cmd, args);
      onStarted();
      return port;
    } catch (error) {
      lastError = error;
    }
  }
  const log = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-2000) : "(no log)";
  throw new Error(`PostgreSQL did not start: ${String(lastError)}\n${log}`);
}

/**
 * Runs `cleanup` if the process exits or is interrupted before the owner stops the cluster. Returns a
 * function that unregisters it. Cleanup must stay synchronous: on "exit" nothing async runs.
 */
function guardProcessExit(cleanup: () => void): () => void {
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    release();
    // Nobody else listening: restore the default (terminate) by raising the signal again.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const release = () => {
    process.off("exit", cleanup);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.on("exit", cleanup);
  for (const signal of signals) process.on(signal, onSignal);
  return release;
}
