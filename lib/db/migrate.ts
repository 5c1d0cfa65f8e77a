import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Sql } from "@/lib/db/client";

/**
 * Applies `supabase/migrations/*.sql` in order, each in its own transaction, and records it in a schema
 * of its own (as the Supabase CLI keeps `supabase_migrations`), so `public` holds only RLS tables.
 */

export const MIGRATIONS_DIR = path.join(process.cwd(), "supabase", "migrations");

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  skipped: number;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((file) => /^\d{14}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), "utf8");
      const [version, ...rest] = file.replace(/\.sql$/, "").split("_");
      return { version, name: rest.join("_"), sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  await sql.unsafe(`
    create schema if not exists sentinela_migrations;
    create table if not exists sentinela_migrations.schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    );
  `);
  const done = new Map(
    (await sql<{ version: string; checksum: string }[]>`
      select version, checksum from sentinela_migrations.schema_migrations
    `).map((row) => [row.version, row.checksum]),
  );
  const applied: string[] = [];
  let skipped = 0;
  for (const file of readMigrations(dir)) {
    const recorded = done.get(file.version);
    if (recorded) {
      if (recorded !== file.checksum) {
        throw new Error(`Migration ${file.version}_${file.name} changed after it was applied; add a new one instead.`);
      }
      skipped++;
      continue;
    }
    await sql.begin(async (tx) => {
      await tx.unsafe(file.sql);
      await tx`
        insert into sentinela_migrations.schema_migrations (version, name, checksum)
        values (${file.version}, ${file.name}, ${file.checksum})
      `;
    });
    applied.push(`${file.version}_${file.name}`);
  }
  return { applied, skipped };
}
