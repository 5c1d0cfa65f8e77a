import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, type OpenDatabase } from "@/test/databases";

/**
 * The pg_cron schedule migration (…_pg_cron_schedule.sql) where it cannot schedule: it must skip with a
 * notice, create nothing and never fail the migration, so `sentinela migrate` and `supabase db push` work
 * on any PostgreSQL. pg_net is not packaged for Debian (and Debian's pg_cron 1.4 has no sub-minute
 * schedules), so the scheduling branch itself only runs on Supabase; here: both ways of skipping.
 * `pg_available_extensions` is resolved through search_path, so a view ahead of pg_catalog can say which
 * extensions are "available" (rolled back after each case).
 */

const MIGRATION = readFileSync(
  path.resolve(import.meta.dirname, "..", "..", "supabase", "migrations", "20261128000450_pg_cron_schedule.sql"),
  "utf8",
);

class Rollback extends Error {}

describe("the pg_cron schedule migration where it cannot schedule", () => {
  let db: OpenDatabase;
  let sql: postgres.Sql;
  const notices: string[] = [];

  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    sql = postgres(db.url, { max: 1, prepare: false, onnotice: (notice) => notices.push(notice.message) });
  });
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await db?.close();
  });

  /** Runs the migration as if `available` were the installable extensions; returns what it said and left. */
  async function migrateWith(available: string[] | null) {
    notices.length = 0;
    let left: { schemas: string[]; extensions: string[] } | undefined;
    await sql.begin(async (tx) => {
      if (available) {
        await tx.unsafe("create schema fake_catalog");
        await tx.unsafe(`create view fake_catalog.pg_available_extensions as
          select name::name from unnest(array[${available.map((name) => `'${name}'`).join(",")}]::text[]) as name`);
        await tx.unsafe("set local search_path = fake_catalog, pg_catalog, public");
      }
      await tx.unsafe(MIGRATION);
      const schemas = await tx<{ name: string }[]>`
        select nspname as name from pg_namespace where nspname in ('sentinela_private', 'cron', 'net')`;
      const extensions = await tx<{ name: string }[]>`
        select extname as name from pg_extension where extname in ('pg_cron', 'pg_net')`;
      left = { schemas: schemas.map((r) => r.name), extensions: extensions.map((r) => r.name) };
      throw new Rollback();
    }).catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
    return { notices: [...notices], ...left! };
  }

  it("skips with a notice on this PostgreSQL, which has neither pg_cron nor pg_net", async () => {
    const [{ n }] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_available_extensions where name in ('pg_cron', 'pg_net')`;
    // Where pg_cron and pg_net are both installed this case is the other branch's, tested below.
    expect(n).toBeLessThan(2);
    expect(await migrateWith(null)).toEqual({
      notices: ["pg_cron or pg_net is not available here: the monitor schedule is skipped"], schemas: [], extensions: [],
    });
  });

  it("skips where pg_cron is packaged but pg_net is not (Debian's postgresql-15-cron)", async () => {
    expect(await migrateWith(["pg_cron", "plpgsql"])).toEqual({
      notices: ["pg_cron or pg_net is not available here: the monitor schedule is skipped"], schemas: [], extensions: [],
    });
  });

  it("skips, naming why, where both are listed but cannot be enabled", async () => {
    const result = await migrateWith(["pg_cron", "pg_net"]);
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]).toMatch(/^pg_cron\/pg_net could not be enabled \(.+\): the monitor schedule is skipped$/);
    expect(result).toMatchObject({ schemas: [], extensions: [] });
  });
});
