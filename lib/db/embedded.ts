import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import path from "node:path";
import { keepExtendedProtocolTogether } from "@/lib/db/pglite-multiplexer";
import { env } from "@/lib/env";
import { canListen } from "@/lib/net/free-port";

/**
 * The embedded default: PGlite persisted under `.data/`, served over the Postgres wire protocol so the
 * app, the CLI and the tests all speak to it with postgres.js and the same SQL. One process owns the
 * data directory (PGlite is single-writer); every other process connects to it through the socket.
 */

export const DEFAULT_DATA_DIR = ".data";
/**
 * Outside Linux's ephemeral range (32768–60999, /proc/sys/net/ipv4/ip_local_port_range): a port in it
 * can be held by any outgoing connection's local end, and 54329 once was. SENTINELA_DB_PORT overrides.
 */
export const EMBEDDED_DEFAULT_PORT = 24329;

export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface Announcement {
  pid: number;
  port: number;
}

function announcementPath(dataDir: string) {
  return path.join(dataDir, "embedded-db.json");
}

export function embeddedUrl(port: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** The URL of an embedded server another process already runs for this data directory, if any. */
export async function findRunningEmbedded(dataDir = DEFAULT_DATA_DIR): Promise<string | undefined> {
  const file = announcementPath(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const { pid, port } = JSON.parse(readFileSync(file, "utf8")) as Announcement;
    if (processAlive(pid) && (await portAnswers(port))) return embeddedUrl(port);
  } catch {
    // A torn or stale announcement means nobody is serving: fall through and start one.
  }
  return undefined;
}

async function freePort(preferred: number): Promise<number> {
  return (await canListen(preferred)) ? preferred : 0;
}

/** Starts PGlite on `dataDir` (or in memory with `memory://`) and serves it on 127.0.0.1. */
export async function startEmbeddedServer(options: {
  dataDir?: string;
  port?: number;
  announce?: boolean;
} = {}): Promise<EmbeddedServer> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const inMemory = dataDir === "memory://";
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");

  let lockFd: number | undefined;
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    lockFd = acquireLock(dataDir);
  }
  const db = await PGlite.create(inMemory ? undefined : path.join(dataDir, "pglite"));
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? (await freePort(env().SENTINELA_DB_PORT ?? EMBEDDED_DEFAULT_PORT)),
    maxConnections: 200,
  });
  keepExtendedProtocolTogether(server);
  await server.start();
  const address = server.getServerConn();
  const port = Number(address.split(":").pop());
  if (!inMemory && options.announce !== false) {
    writeFileSync(announcementPath(dataDir), JSON.stringify({ pid: process.pid, port } satisfies Announcement));
  }

  let stopped = false;
  return {
    url: embeddedUrl(port),
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      if (!inMemory) {
        rmSync(announcementPath(dataDir), { force: true });
        releaseLock(dataDir, lockFd);
      }
    },
  };
}

function lockPath(dataDir: string) {
  return path.join(dataDir, "pglite.lock");
}

function acquireLock(dataDir: string): number {
  const file = lockPath(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeFileSync(fd, String(process.pid));
      return fd;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(file, "utf8"));
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${holder}; stop it or set DATABASE_URL.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}

function releaseLock(dataDir: string, fd: number | undefined) {
  if (fd !== undefined) closeSync(fd);
  rmSync(lockPath(dataDir), { force: true });
}
