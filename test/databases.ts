import { randomBytes } from "node:crypto";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { createSql, type Sql } from "@/lib/db/client";
import { startEmbeddedServer } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

/**
 * The databases the integration suite runs against: real PostgreSQL (a fresh database in the run's
 * throwaway cluster, see test/global-setup.ts) and PGlite served over the wire protocol, as `npm run
 * demo` serves it. Every `open()` gives a new, fully migrated database nobody else touches.
 */

export interface OpenDatabase {
  /** Connected as the superuser that owns the tables: the service path, which bypasses RLS. */
  sql: Sql;
  url: string;
  close(): Promise<void>;
}

export interface Backend {
  name: "postgres" | "pglite";
  open(): Promise<OpenDatabase>;
}

const MIGRATIONS = path.resolve(import.meta.dirname, "..", "supabase", "migrations");

let opened = 0;

function uniqueDbName(): string {
  return `sentinela_test_${process.pid}_${++opened}_${randomBytes(3).toString("hex")}`;
}

async function withAdmin<T>(fn: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(`${inject("pgBaseUrl")}/postgres`, { max: 1, onnotice: () => {} });
  try {
    return await fn(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

const postgresBackend: Backend = {
  name: "postgres",
  async open() {
    const name = uniqueDbName();
    await withAdmin((admin) => admin.unsafe(`create database "${name}"`));
    const url = `${inject("pgBaseUrl")}/${name}`;
    const sql = createSql(url);
    try {
      await migrate(sql, MIGRATIONS);
    } catch (error) {
      await sql.end({ timeout: 5 });
      throw error;
    }
    return {
      sql,
      url,
      async close() {
        await sql.end({ timeout: 5 });
        await withAdmin((admin) => admin.unsafe(`drop database if exists "${name}" with (force)`));
      },
    };
  },
};

const pgliteBackend: Backend = {
  name: "pglite",
  async open() {
    const server = await startEmbeddedServer({ dataDir: "memory://", port: 0, announce: false });
    const sql = createSql(server.url);
    try {
      await migrate(sql, MIGRATIONS);
    } catch (error) {
      await sql.end({ timeout: 5 });
      await server.stop();
      throw error;
    }
    return {
      sql,
      url: server.url,
      async close() {
        await sql.end({ timeout: 5 });
        await server.stop();
      },
    };
  },
};

export const backends: Backend[] = [postgresBackend, pgliteBackend];

/**
 * `describe.each(backends)` with one migrated database per backend, opened before the block's tests
 * and closed after them. `db()` hands it to tests (it throws if called outside a test or hook).
 */
export function forEachBackend(
  title: string,
  fn: (db: () => OpenDatabase, backend: Backend) => void,
): void {
  describe.each(backends)(`${title} on $name`, (backend) => {
    let current: OpenDatabase | undefined;
    beforeAll(async () => {
      current = await backend.open();
    });
    afterAll(async () => {
      await current?.close();
      current = undefined;
    });
    fn(() => {
      if (!current) throw new Error(`The ${backend.name} database is not open yet: use db() inside a test or hook`);
      return current;
    }, backend);
  });
}
