import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { createSql, type Sql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { startThrowawayCluster } from "@/test/pg-cluster";

/**
 * `npm run test:pgtap [-- options] [files…]`: runs the pgTAP suite (supabase/tests/*.sql) with pg_prove
 * against a throwaway PostgreSQL cluster migrated by our own runner, and exits with pg_prove's status.
 *
 *   --drop-policy NAME   drop this policy after migrating (repeatable): proves the suite notices
 *   --disable-rls TABLE  disable RLS on public.TABLE after migrating (repeatable): same
 *   --supabase-grants    before migrating, grant what a hosted Supabase project grants by default
 *                        privileges (ALL on new public tables, sequences, functions to anon,
 *                        authenticated, service_role), to see what differs from plain PostgreSQL
 *   --verbose            pass -v to pg_prove (every assertion, not only failures)
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const TESTS_DIR = path.join(ROOT, "supabase", "tests");
const MIGRATIONS_DIR = path.join(ROOT, "supabase", "migrations");
const DATABASE = "sentinela_pgtap";

interface Options {
  dropPolicies: string[];
  disableRls: string[];
  supabaseGrants: boolean;
  verbose: boolean;
  files: string[];
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    dropPolicies: [],
    disableRls: [],
    supabaseGrants: false,
    verbose: false,
    files: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (!next || next.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--drop-policy") options.dropPolicies.push(value());
    else if (arg === "--disable-rls") options.disableRls.push(value());
    else if (arg === "--supabase-grants") options.supabaseGrants = true;
    else if (arg === "--verbose" || arg === "-v") options.verbose = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else options.files.push(path.resolve(arg));
  }
  if (options.files.length === 0) {
    options.files = readdirSync(TESTS_DIR)
      .filter((file) => file.endsWith(".sql"))
      .sort()
      .map((file) => path.join(TESTS_DIR, file));
  }
  if (options.files.length === 0) throw new UsageError(`no pgTAP tests in ${TESTS_DIR}`);
  return options;
}

/** Deliberate damage applied after migrating, so a run can show the suite fails when RLS is broken. */
async function sabotage(sql: Sql, options: Options): Promise<void> {
  for (const name of options.dropPolicies) {
    const rows = await sql<{ tablename: string }[]>`
      select tablename from pg_policies where schemaname = 'public' and policyname = ${name}
    `;
    if (rows.length === 0) throw new UsageError(`--drop-policy: no policy named ${name} in schema public`);
    for (const { tablename } of rows) {
      await sql`drop policy ${sql(name)} on ${sql("public." + tablename)}`;
      console.log(`sabotage: dropped policy ${name} on public.${tablename}`);
    }
  }
  for (const table of options.disableRls) {
    const rows = await sql`select 1 from pg_tables where schemaname = 'public' and tablename = ${table}`;
    if (rows.length === 0) throw new UsageError(`--disable-rls: no table public.${table}`);
    await sql`alter table ${sql("public." + table)} disable row level security`;
    console.log(`sabotage: disabled row level security on public.${table}`);
  }
}

/** The default privileges a Supabase project gives every object the postgres role creates in public. */
async function grantLikeSupabase(sql: Sql): Promise<void> {
  // Supabase has these roles before any migration; here the compat migration would create them later.
  for (const role of ["anon", "authenticated", "service_role"]) {
    const exists = await sql`select 1 from pg_roles where rolname = ${role}`;
    if (exists.length === 0) {
      await sql.unsafe(`create role ${role} nologin noinherit${role === "service_role" ? " bypassrls" : ""}`);
    }
  }
  for (const kind of ["tables", "sequences", "functions"]) {
    await sql.unsafe(
      `alter default privileges for role postgres in schema public grant all on ${kind} to anon, authenticated, service_role`,
    );
  }
  console.log("supabase grants: default privileges on public granted to anon, authenticated, service_role");
}

async function prepareDatabase(url: string, options: Options): Promise<void> {
  const sql = createSql(url, { max: 1 });
  try {
    await sql`create extension if not exists pgtap`;
    if (options.supabaseGrants) await grantLikeSupabase(sql);
    const { applied } = await migrate(sql, MIGRATIONS_DIR);
    console.log(`migrated ${DATABASE}: ${applied.length} migrations applied`);
    await sabotage(sql, options);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function runPgProve(port: number, options: Options): Promise<number> {
  const args = ["-h", "127.0.0.1", "-p", String(port), "-d", DATABASE, "-U", "postgres"];
  if (options.verbose) args.push("-v");
  args.push(...options.files.map((file) => path.relative(process.cwd(), file)));
  return new Promise((resolve, reject) => {
    const child = spawn("pg_prove", args, { stdio: "inherit" });
    child.once("error", (error) => reject(new Error(`could not run pg_prove (is pgTAP installed?): ${error.message}`)));
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const cluster = await startThrowawayCluster();
  try {
    await prepareDatabase(await cluster.createDatabase(DATABASE), options);
    return await runPgProve(cluster.port, options);
  } finally {
    await cluster.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
