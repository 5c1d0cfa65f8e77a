import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, type OpenDatabase } from "@/test/databases";

/**
 * `tenant add --timezone` takes only time zones that exist: `Mars/Olympus` used to be stored (exit 0) and
 * then broke every monitor pass. The database refuses one too, whoever writes.
 */

const ROOT = path.resolve(import.meta.dirname, "..");

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "cli/main.ts", ...args], { cwd: ROOT, timeout: 30_000, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }));
  });
}

describe("tenant time zones on input", () => {
  let db: OpenDatabase;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
  });
  afterAll(async () => db?.close());

  it("tenant add --timezone Mars/Olympus exits 2 with one plain line and stores nothing", async () => {
    const run = await cli(["tenant", "add", "--slug", "olympus", "--name", "Olympus Inn", "--timezone", "Mars/Olympus"], { DATABASE_URL: db.url });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringContaining('--timezone "Mars/Olympus" is not a known IANA time zone')]);
    expect(await db.sql`select 1 from public.tenants where slug = 'olympus'`).toHaveLength(0);

    const good = await cli(["tenant", "add", "--slug", "manaus", "--name", "Pousada Manaus", "--timezone", "America/Manaus"], { DATABASE_URL: db.url });
    expect(good.code, good.stderr).toBe(0);
    const [row] = await db.sql`select timezone from public.tenants where slug = 'manaus'`;
    expect(row.timezone).toBe("America/Manaus");
  }, 60_000);

  it("the database refuses a time zone it does not know, whoever writes", async () => {
    await expect(db.sql`insert into public.tenants (slug, name, timezone) values ('mars', 'Mars', 'Mars/Olympus')`)
      .rejects.toMatchObject({ code: "23514" });
    await expect(db.sql`update public.tenants set timezone = 'Mars/Olympus' where slug = 'manaus'`).rejects.toMatchObject({ code: "23514" });
  });
});
