import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, type OpenDatabase } from "@/test/databases";

/**
 * The CLI as people run it (`tsx cli/main.ts …`, a real process against a real database): bad input
 * exits 2 with one plain line, never a constraint name or a stack. PostgreSQL only: what is tested
 * is the CLI's answer, which does not depend on the backend.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const KEY = Buffer.alloc(32, 7).toString("base64");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ["cli/main.ts", ...args],
      { cwd: ROOT, timeout: 30_000, env: { ...process.env, CHANNEL_SECRET_KEY: KEY, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Exit 2, exactly one line on stderr, naming what was wrong and nothing of the database's insides. */
function expectPlainRefusal(run: Run, says: RegExp) {
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(says);
  expect(run.stderr).not.toMatch(/constraint|_key\b|\bat .*\(|node:internal|\.ts:\d+/);
}

describe("CLI input edges", () => {
  let db: OpenDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await db?.close();
  });

  it("refuses a duplicate tenant slug with exit 2 and one plain line", async () => {
    await db.sql`insert into public.tenants (slug, name) values ('dup-slug', 'Imobiliária Um')`;
    const second = await cli(["tenant", "add", "--slug", "dup-slug", "--name", "Imobiliária Dois"], env);
    expectPlainRefusal(second, /^sentinela tenant: a tenant with slug "dup-slug" already exists$/);
    const [{ count }] = await db.sql<{ count: number }[]>`select count(*)::int as count from public.tenants where slug = 'dup-slug'`;
    expect(count).toBe(1);
  });

  it("bounds monitor --every to 10s..24h (40000m once overflowed the timer)", async () => {
    // The other bounds are cli/usage.test.ts's: here, that the refusal reaches the shell as exit 2.
    expectPlainRefusal(await cli(["monitor", "--every", "40000m"], env), /--every must be between 10s and 24h/);
  });

  it("refuses control and bidi-override characters in names (argv cannot carry a NUL; the schema test covers it)", async () => {
    await db.sql`insert into public.tenants (slug, name) values ('canais', 'Canais')`;
    const tenant = await cli(["tenant", "add", "--slug", "bidi", "--name", "Pagamentos \u202Egnp.exe"], env);
    expectPlainRefusal(tenant, /--name "Pagamentos \\u202egnp\.exe" cannot contain control or bidirectional-override characters/);
    const channel = await cli(
      ["channel", "add", "--tenant", "canais", "--provider", "evolution", "--url", "http://127.0.0.1:9", "--instance", "inst-1",
        "--api-key", "a-long-enough-key", "--name", "Centro\u2066x\u2069"],
      env,
    );
    expectPlainRefusal(channel, /name cannot contain control or bidirectional-override characters/);
    const [{ count }] = await db.sql<{ count: number }[]>`select count(*)::int as count from public.tenants where slug = 'bidi'`;
    expect(count).toBe(0);
  });

  it("prints a configuration error as one line, with no stack", async () => {
    const run = await cli(["channel", "list"], { ...env, MONITOR_INTERVAL_SECONDS: "abc" });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n"), run.stderr).toEqual([
      expect.stringMatching(/^sentinela channel: Configuration error: MONITOR_INTERVAL_SECONDS/),
    ]);
  });
});
