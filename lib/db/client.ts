import postgres from "postgres";
import { env } from "@/lib/env";
import { findRunningEmbedded, startEmbeddedServer, type EmbeddedServer } from "@/lib/db/embedded";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
/** Either a pool or a transaction: what query modules take first. */
export type Db = Sql | Tx;

/**
 * prepare: false because Supabase's transaction pooler (and PGlite's socket multiplexer) cannot keep
 * prepared statements per session.
 */
export function createSql(url: string, options: { max?: number; idleTimeoutS?: number } = {}): Sql {
  return postgres(url, {
    prepare: false,
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutS ?? 20,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: "sentinela" },
  });
}

interface Shared {
  sql?: Promise<Sql>;
  embedded?: EmbeddedServer;
  /** How long the process-wide pool keeps an idle connection (keepConnectionsFor). */
  idleTimeoutS?: number;
}

// Survives Next.js module reloads in one process; never relied on across invocations.
const shared = globalThis as typeof globalThis & { __sentinelaDb?: Shared };
const state: Shared = (shared.__sentinelaDb ??= {});

export async function resolveDatabaseUrl(): Promise<string> {
  const configured = env().DATABASE_URL;
  if (configured) return configured;
  const running = await findRunningEmbedded();
  if (running) return running;
  state.embedded = await startEmbeddedServer();
  return state.embedded.url;
}

/** The process-wide pool: DATABASE_URL, or the embedded database (started here if nobody serves it). */
export function getSql(): Promise<Sql> {
  state.sql ??= resolveDatabaseUrl().then((url) => createSql(url, { idleTimeoutS: state.idleTimeoutS }));
  return state.sql;
}

/**
 * A long-lived process that comes back every so often (the self-hosted runner, a pass every 30 s) keeps
 * its idle connections that long: otherwise each pass opens them again, and each new connection is a new
 * backend for PostgreSQL to start, authenticate and warm up. Before the pool is first used.
 */
export function keepConnectionsFor(seconds: number): void {
  state.idleTimeoutS = Math.max(20, Math.ceil(seconds));
}

export async function closeSql(): Promise<void> {
  const pending = state.sql;
  state.sql = undefined;
  if (pending) await (await pending).end({ timeout: 5 });
  await state.embedded?.stop();
  state.embedded = undefined;
}

export function isEmbeddedMode(): boolean {
  return !env().DATABASE_URL;
}
