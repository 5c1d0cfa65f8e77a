import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudApiSimulator, type CloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import { startEvolutionSimulator, type EvolutionSimulator } from "@/dev/evolution-simulator/server";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { backends, type OpenDatabase } from "@/test/databases";

/**
 * `sentinela import evolution …` as people run it (a real process, a real database, the simulator):
 * exit 0 with the plan and then the result (JSON with --json), idempotent; exit 2 with one plain line
 * for what was typed wrong, a key that is not the global key, or an address the outbound guard refuses.
 * PostgreSQL only: the CLI's answers do not depend on the backend (lib/import's tests run on both).
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const KEY = Buffer.alloc(32, 5).toString("base64");
const GLOBAL_KEY = "cli-import-global-key";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, ["cli/main.ts", ...args], { cwd: ROOT, timeout: 30_000, env: { ...process.env, CHANNEL_SECRET_KEY: KEY, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }));
  });
}

function expectPlainRefusal(run: Run, says: RegExp) {
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(says);
  expect(run.stderr).not.toMatch(/\bat .*\(|node:internal|\.ts:\d+/);
}

describe("CLI import evolution", () => {
  let db: OpenDatabase;
  let sim: EvolutionSimulator;
  let env: Record<string, string>;
  let base: string[];
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    sim = await startEvolutionSimulator({ globalApiKey: GLOBAL_KEY, seed: 3, connectLatencyMs: 10 });
    sim.addInstance({ name: "casa-azul", token: "token-casa-azul-01", scenario: "healthy" });
    sim.addInstance({ name: "casa-verde", token: "token-casa-verde-1", scenario: "never_paired" });
    sim.addInstance({
      name: "loja-centro", token: "token-loja-centro1", scenario: "healthy",
      webhook: { enabled: true, url: "https://platform.example/hook?token=abc", events: ["MESSAGES_UPSERT"] },
    });
    await db.sql`insert into public.tenants (slug, name) values ('casas', 'Casas de Praia')`;
    env = { DATABASE_URL: db.url, GATEWAY_ALLOWED_HOSTS: `127.0.0.1:${sim.port}` };
    base = ["import", "evolution", "--url", sim.url, "--api-key", GLOBAL_KEY, "--tenant", "casas"];
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.close();
  });

  const channelCount = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from public.channels`)[0].n;

  it("--dry-run --json prints the plan and adds nothing", async () => {
    const run = await cli([...base, "--dry-run", "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ provider: "evolution", gatewayUrl: sim.url, tenant: "casas", dryRun: true, listed: 3, matched: 3, toAdd: 3, added: 0 });
    expect(report.rows.find((row: { name: string }) => row.name === "loja-centro"))
      .toMatchObject({ action: "add", state: "open", webhookUrl: "https://platform.example/hook", hasToken: true, channelId: null });
    expect(report.rows.find((row: { name: string }) => row.name === "casa-verde")).toMatchObject({ phone: null, state: "close" });
    expect(run.stdout).not.toMatch(/token-|token=abc|cli-import-global-key/);
    expect(await channelCount()).toBe(0);
  });

  it("--match filters; the run prints what it adds, then adds it with the tokens sealed", async () => {
    const run = await cli([...base, "--match", "^casa-"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Gateway http:\/\/127\.0\.0\.1:\d+: 3 instances, 2 match "\^casa-" \(tenant casas\)/);
    expect(run.stdout).toMatch(/^ {2}ACTION {2}NAME +PHONE +STATE +WEBHOOK$/m);
    expect(run.stdout).toMatch(/^ {2}add {5}casa-azul +\+55\d{11} +open +-$/m);
    expect(run.stdout).toMatch(/^ {2}add {5}casa-verde +- +close +-$/m);
    expect(run.stdout).toMatch(/Added 2 channels to casas, skipped 0; gateway [0-9a-f-]{36} recorded with its global key\./);
    const rows = await db.sql<{ name: string; key: string }[]>`
      select c.instance_name as name, s.api_key_ciphertext as key
      from public.channels c join public.channel_secrets s on s.channel_id = c.id order by 1
    `;
    expect(rows.map((row) => [row.name, decryptSecret(row.key, KEY)])).toEqual([
      ["casa-azul", "token-casa-azul-01"],
      ["casa-verde", "token-casa-verde-1"],
    ]);
  });

  it("is idempotent: the full run adds only the rest, the next adds 0", async () => {
    const first = JSON.parse((await cli([...base, "--json"], env)).stdout);
    expect(first).toMatchObject({ dryRun: false, added: 1, skipped: 2 });
    expect(first.rows.filter((row: { action: string }) => row.action === "add").map((row: { name: string }) => row.name)).toEqual(["loja-centro"]);
    const second = await cli([...base, "--json"], env);
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report).toMatchObject({ toAdd: 0, added: 0, skipped: 3 });
    // Skipped instances' webhooks are not read: no webhookUrl, rather than a null that would say "none".
    expect(report.rows.map((row: object) => "webhookUrl" in row)).toEqual([false, false, false]);
    expect(await channelCount()).toBe(3);
  });

  it("exits 2 with one line for bad arguments, a key that is not the global key, or a refused address", async () => {
    const runs = await Promise.all([
      cli([...base, "--match", "casa-("], env),
      cli(["import", "evolution", "--url", sim.url, "--api-key", GLOBAL_KEY, "--tenant", "nobody"], env),
      cli(["import", "evolution", "--url", "ftp://gateway.example", "--api-key", GLOBAL_KEY, "--tenant", "casas"], env),
      cli(["import", "evolution", "--url", sim.url, "--api-key", "token-loja-centro1", "--tenant", "casas"], env),
      cli(base, { ...env, GATEWAY_ALLOWED_HOSTS: "" }),
      cli(["import", "telegram", "--url", sim.url], env),
    ]);
    expectPlainRefusal(runs[0], /^sentinela import: "casa-\(" is not a valid regular expression: Unterminated group$/);
    expectPlainRefusal(runs[1], /^sentinela import: No tenant with slug "nobody"$/);
    expectPlainRefusal(runs[2], /^sentinela import: gateway URL must be an http\(s\) URL$/);
    expectPlainRefusal(runs[3], /^sentinela import: --api-key: this is the instance token of "loja-centro", not the gateway's global key .*; nothing was added$/);
    expectPlainRefusal(runs[4], /^sentinela import: --url refused: 127\.0\.0\.1 is a loopback address .*GATEWAY_ALLOWED_HOSTS$/);
    expectPlainRefusal(runs[5], /^sentinela import: cannot import from "telegram" \(expected: evolution, waha, cloud-api\)$/);
    expect(await channelCount()).toBe(3);
  });
});

describe("CLI import cloud-api", () => {
  let db: OpenDatabase;
  let sim: CloudApiSimulator;
  let env: Record<string, string>;
  let base: string[];
  const WABA = "430000000000001";
  const TOKEN = "EAAG-cli-import-access-token";
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    sim = await startCloudApiSimulator();
    sim.addNumber({ id: "1065000000001", token: TOKEN, wabaId: WABA, displayPhoneNumber: "+55 12 99123-0001", verifiedName: "Pousada Mar Azul" });
    sim.addNumber({ id: "1065000000002", token: TOKEN, wabaId: WABA, displayPhoneNumber: "+55 12 99123-0002", verifiedName: "Pousada Mar Azul", scenario: "blocked" });
    sim.addNumber({ id: "1065000000003", token: TOKEN, wabaId: WABA, displayPhoneNumber: "15550783881", verifiedName: "Loja Teste", scenario: "number_disconnected" });
    sim.addNumber({ id: "2000000000009", token: "EAAG-another-account-token", wabaId: "430000000000002" });
    await db.sql`insert into public.tenants (slug, name) values ('pousada', 'Pousada Mar Azul')`;
    env = { DATABASE_URL: db.url, GATEWAY_ALLOWED_HOSTS: `127.0.0.1:${sim.port}` };
    base = ["import", "cloud-api", "--url", `${sim.url}/v23.0`, "--api-key", TOKEN, "--waba-id", WABA, "--tenant", "pousada"];
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.close();
  });

  const channels = () => db.sql<{ name: string; provider: string; phone: string | null; display: string; waba: string | null; key: string | null; shared: boolean }[]>`
    select c.instance_name as name, c.provider, c.phone_number as phone, c.display_name as display, c.waba_id as waba,
      s.api_key_ciphertext as key, c.uses_gateway_key as shared
    from public.channels c join public.channel_secrets s on s.channel_id = c.id order by 1
  `;

  it("--dry-run --json lists the account's numbers (ids, E.164 phones, business names) and adds nothing", async () => {
    const run = await cli([...base, "--dry-run", "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      provider: "cloud-api", gatewayUrl: `${sim.url}/v23.0`, wabaId: WABA, tenant: "pousada", dryRun: true, listed: 3, toAdd: 3, added: 0,
    });
    expect(report.rows).toEqual([
      expect.objectContaining({ name: "1065000000001", phone: "+5512991230001", state: "open", profileName: "Pousada Mar Azul", hasToken: false, action: "add" }),
      expect.objectContaining({ name: "1065000000002", phone: "+5512991230002", state: "open" }),
      expect.objectContaining({ name: "1065000000003", phone: "+15550783881", state: "close", profileName: "Loja Teste" }),
    ]);
    expect(run.stdout).not.toContain(TOKEN);
    expect(await channels()).toEqual([]);
  });

  it("adds each number as a cloud-api channel with its WABA id and the access token sealed as its own; again adds 0", async () => {
    const run = await cli([...base, "--match", "^10650000000(01|02)$"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/: 3 instances, 2 match .* \(tenant pousada\)/);
    expect(run.stdout).toMatch(/^ {2}add {5}1065000000001 +\+5512991230001 +open +-$/m);
    expect(run.stdout).toMatch(/Added 2 channels to pousada, skipped 0/);
    expect(run.stdout).not.toContain(TOKEN);
    const rows = await channels();
    expect(rows.map((row) => ({ ...row, key: row.key && decryptSecret(row.key, KEY) }))).toEqual([
      { name: "1065000000001", provider: "cloud-api", phone: "+5512991230001", display: "Pousada Mar Azul +5512991230001", waba: WABA, key: TOKEN, shared: false },
      { name: "1065000000002", provider: "cloud-api", phone: "+5512991230002", display: "Pousada Mar Azul +5512991230002", waba: WABA, key: TOKEN, shared: false },
    ]);
    const again = JSON.parse((await cli([...base, "--json"], env)).stdout);
    expect(again).toMatchObject({ added: 1, skipped: 2 });
    const last = JSON.parse((await cli([...base, "--json"], env)).stdout);
    expect(last).toMatchObject({ toAdd: 0, added: 0, skipped: 3 });
    expect(await channels()).toHaveLength(3);
  });

  it("exits 2 without --waba-id (or with one elsewhere), 1 for a token Graph refuses or an account it cannot read", async () => {
    const runs = await Promise.all([
      cli(["import", "cloud-api", "--url", `${sim.url}/v23.0`, "--api-key", TOKEN, "--tenant", "pousada"], env),
      cli([...base.slice(0, 6), "--waba-id", "waba-1", "--tenant", "pousada"], env),
      cli(["import", "evolution", "--url", sim.url, "--api-key", TOKEN, "--waba-id", WABA, "--tenant", "pousada"], env),
      cli([...base.slice(0, 5), "EAAG-nobody-knows-this", ...base.slice(6)], env),
      cli([...base.slice(0, 6), "--waba-id", "430000000000002", "--tenant", "pousada"], env),
    ]);
    expectPlainRefusal(runs[0], /^sentinela import: --waba-id: cloud-api channels need --waba-id$/);
    expectPlainRefusal(runs[1], /^sentinela import: --waba-id: .*digits only/);
    expectPlainRefusal(runs[2], /^sentinela import: --waba-id: evolution channels take no --waba-id$/);
    for (const run of runs.slice(3)) {
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).not.toContain(TOKEN);
    }
    expect(runs[3].stderr).toMatch(/could not list the gateway's instances: Graph refused the access token \(code 190\)/);
    expect(runs[4].stderr).toMatch(/could not list the gateway's instances: Graph does not know this WhatsApp Business Account id \(code 100\)/);
    expect(await channels()).toHaveLength(3);
  });
});
