import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";

/**
 * A throwaway PostgreSQL cluster for tests: initdb into a fresh temp directory, serve on a free port on
 * 127.0.0.1 only (the system cluster keeps 5432), trust auth, fsync off. It must never outlive the run:
 * `stop()` removes it, and so do process exit and SIGINT/SIGTERM/SIGHUP if nobody called `stop()`.
 * The server is our own child process (not daemonized by pg_ctl), so it can be stopped by pid at any
 * moment, even halfway through starting.
 */

const SUPERUSER = "postgres";

export interface ThrowawayCluster {
  port: number;
  /** Base URL without a database, e.g. `postgres://postgres@127.0.0.1:54000`. */
  baseUrl: string;
  url(dbName: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** Stops the server as `pg_ctl stop -m fast` does (clients cut off, data kept): a database outage. */
  stopServer(): Promise<void>;
  /** Starts the stopped server again, on the same port with the same data. */
  startServer(): Promise<void>;
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
    throw new Error("No PostgreSQL ≥ 15 found: install it (initdb, postgres) or put pg_config on PATH");
  }
}

/** initdb refuses root, so as root every server binary runs as the `postgres` OS user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
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

/** A child we have not reaped yet stays a zombie (our event loop is blocked), which counts as dead. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return existsSync("/proc/self") ? false : true;
  }
}

/** Synchronous on purpose: it also runs from the "exit" event, where nothing asynchronous happens. */
function killAndWaitSync(pid: number, signal: NodeJS.Signals, timeoutMs: number): void {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

/** `settings` are extra server settings (`-c name=value`), e.g. for benchmarks that need an extension. */
export async function startThrowawayCluster(settings: Record<string, string> = {}): Promise<ThrowawayCluster> {
  const bin = findPgBinDir();
  const user = serverUser();
  const root = mkdtempSync(path.join(tmpdir(), "sentinela-pg-"));
  if (user) chownSync(root, user.uid, user.gid);
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "server.log");
  const children = new Set<ChildProcess>();

  const run = (binary: string, args: string[], logFd: number) => {
    const child = spawn(path.join(bin, binary), args, {
      cwd: root,
      stdio: ["ignore", logFd, logFd],
      env: { ...process.env, LC_ALL: "C" },
      ...user,
    });
    children.add(child);
    child.once("exit", () => children.delete(child));
    child.once("error", () => children.delete(child));
    return child;
  };

  let removed = false;
  const removeSync = () => {
    if (removed) return;
    removed = true;
    for (const child of children) {
      // The postmaster takes SIGQUIT as "immediate shutdown" and takes its backends down with it;
      // initdb only finishes its current step on a signal, so it gets no say.
      const signal = child.spawnfile.endsWith("initdb") ? "SIGKILL" : "SIGQUIT";
      if (child.pid && child.exitCode === null) killAndWaitSync(child.pid, signal, 5_000);
    }
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  };
  const release = guardProcessExit(removeSync);

  try {
    await initdb(run, dataDir, logFile);
    const started = await startServer(run, root, dataDir, logFile, settings);
    const port = started.port;
    let server = started.server;
    const fastShutdown = async () => {
      if (server.exitCode !== null) return;
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGINT"); // fast shutdown: rolls back open transactions, disconnects clients
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    };
    const baseUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}`;
    const url = (dbName: string) => `${baseUrl}/${dbName}`;
    const asAdmin = async (statement: string) => {
      const sql = postgres(url("postgres"), { max: 1, onnotice: () => {}, connect_timeout: 10 });
      try {
        await sql.unsafe(statement);
      } finally {
        await sql.end({ timeout: 5 });
      }
    };

    return {
      port,
      baseUrl,
      url,
      async createDatabase(name) {
        assertDbName(name);
        await asAdmin(`create database "${name}"`);
        return url(name);
      },
      async dropDatabase(name) {
        assertDbName(name);
        await asAdmin(`drop database if exists "${name}" with (force)`);
      },
      stopServer: fastShutdown,
      async startServer() {
        if (server.exitCode === null) return;
        server = await restartServer(run, root, dataDir, logFile, settings, port);
      },
      async stop() {
        if (removed) return;
        await fastShutdown();
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

type Run = (binary: string, args: string[], logFd: number) => ChildProcess;

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").slice(-2000) : "(no log)";
}

async function initdb(run: Run, dataDir: string, logFile: string): Promise<void> {
  const log = openSync(logFile, "a");
  try {
    const args = ["-D", dataDir, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"];
    const code = await exited(run("initdb", args, log));
    if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${tail(logFile)}`);
  } finally {
    closeSync(log);
  }
}

/** Starts the postmaster on a free port, retrying when another process takes the port first. */
async function startServer(run: Run, root: string, dataDir: string, logFile: string, settings: Record<string, string>) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = spawnPostmaster(run, root, dataDir, logFile, settings, port);
    const ready = await waitUntilReady(server, port);
    if (ready) return { port, server };
    if (attempt === 3) throw new Error(`PostgreSQL did not start:\n${tail(logFile)}`);
  }
}

/** The same cluster again on its own port (after stopServer); fails if someone took the port meanwhile. */
async function restartServer(
  run: Run, root: string, dataDir: string, logFile: string, settings: Record<string, string>, port: number,
): Promise<ChildProcess> {
  const server = spawnPostmaster(run, root, dataDir, logFile, settings, port);
  if (!(await waitUntilReady(server, port))) throw new Error(`PostgreSQL did not start again on port ${port}:\n${tail(logFile)}`);
  return server;
}

function spawnPostmaster(
  run: Run, root: string, dataDir: string, logFile: string, settings: Record<string, string>, port: number,
): ChildProcess {
  const log = openSync(logFile, "a");
  const server = run("postgres", [
    "-D", dataDir,
    "-p", String(port),
    "-c", "listen_addresses=127.0.0.1",
    "-c", `unix_socket_directories=${root}`,
    "-c", "fsync=off",
    "-c", "synchronous_commit=off",
    "-c", "full_page_writes=off",
    "-c", "max_connections=200",
    ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
  ], log);
  closeSync(log);
  return server;
}

/** True once the server answers a query; false if it exits first (port taken) or stays silent 30 s. */
async function waitUntilReady(server: ChildProcess, port: number): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (server.exitCode === null && Date.now() < deadline) {
    const sql = postgres(`postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`, {
      max: 1,
      connect_timeout: 2,
      onnotice: () => {},
    });
    try {
      await sql`select 1`;
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  if (server.exitCode === null) server.kill("SIGQUIT");
  return false;
}

/**
 * Runs `cleanup` if the process exits or is interrupted before the owner stops the cluster. Returns a
 * function that unregisters it. Cleanup must stay synchronous (on "exit" nothing async runs) and must
 * not throw (a throw from a signal handler would skip everyone else's cleanup).
 */
function guardProcessExit(cleanup: () => void): () => void {
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const safeCleanup = () => {
    try {
      cleanup();
    } catch (error) {
      console.error("Could not remove the throwaway PostgreSQL cluster:", error);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    safeCleanup();
    release();
    // Nobody else listening: restore the default (terminate) by raising the signal again.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const release = () => {
    process.off("exit", safeCleanup);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.on("exit", safeCleanup);
  for (const signal of signals) process.on(signal, onSignal);
  return release;
}
