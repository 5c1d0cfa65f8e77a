import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { PROVIDER_KINDS } from "@/lib/providers/types";
import { backends, type OpenDatabase } from "@/test/databases";

/**
 * `channel add` / `channel edit` as people run them: a key is only ever kept for the canonical gateway
 * URL and instance it was entered for, so moving a channel needs --api-key again, and another spelling
 * of an existing channel's gateway is that channel. PostgreSQL only: the CLI's answers do not depend on
 * the backend.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const KEY = Buffer.alloc(32, 9).toString("base64");

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ["cli/main.ts", ...args], { cwd: ROOT, timeout: 30_000, env: { ...process.env, CHANNEL_SECRET_KEY: KEY, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }));
  });
}

describe("CLI channel add / edit and key binding", () => {
  let db: OpenDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => db?.close());

  const stored = async () => {
    const [row] = await db.sql<{ id: string; gateway_url: string; instance_name: string; display_name: string; key: string | null }[]>`
      select c.id, c.gateway_url, c.instance_name, c.display_name, s.api_key_ciphertext as key
      from public.channels c join public.channel_secrets s on s.channel_id = c.id
    `;
    return { ...row, key: row.key && decryptSecret(row.key, KEY) };
  };

  it("adds once per canonical gateway instance, and asks for the key again when the channel moves", async () => {
    expect((await cli(["tenant", "add", "--slug", "pousada-cli", "--name", "Pousada CLI"], env)).code).toBe(0);
    const add = ["channel", "add", "--tenant", "pousada-cli", "--provider", "evolution", "--instance", "recepcao"];
    const added = await cli([...add, "--url", "http://127.0.0.1:9/", "--api-key", "first-key-123", "--name", "Recepção"], env);
    expect(added.code, added.stderr).toBe(0);
    const channel = await stored();
    expect(channel).toMatchObject({ gateway_url: "http://127.0.0.1:9", instance_name: "recepcao", key: "first-key-123" });

    const again = await cli([...add, "--url", "http://LOCALHOST:9", "--api-key", "other-key-123"], env);
    expect({ code: again.code, stderr: again.stderr.trim() })
      .toEqual({ code: 2, stderr: `sentinela channel: channel already exists: Recepção (${channel.id})` });

    const moved = await cli(["channel", "edit", channel.id, "--instance", "recepcao-2"], env);
    expect(moved.code).toBe(2);
    expect(moved.stderr.trim()).toBe(
      "sentinela channel: changing --url, --instance or --provider requires --api-key: a stored key is only sent to the gateway and instance it was entered for",
    );
    expect(await stored()).toMatchObject({ instance_name: "recepcao", key: "first-key-123" });

    // Another spelling of the same gateway is no move: the key stays.
    const renamed = await cli(["channel", "edit", channel.id, "--url", "http://[::1]:9/", "--name", "Portaria"], env);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(await stored()).toMatchObject({ gateway_url: "http://127.0.0.1:9", display_name: "Portaria", key: "first-key-123" });

    const rebound = await cli(["channel", "edit", channel.id, "--url", "http://127.0.0.1:10", "--api-key", "second-key-123"], env);
    expect(rebound.code, rebound.stderr).toBe(0);
    expect(await stored()).toMatchObject({ gateway_url: "http://127.0.0.1:10", instance_name: "recepcao", key: "second-key-123" });

    // Another kind on the same server is another gateway: the key is asked again, and a flag the kind
    // does not take is a bad combination (exit 2, one line), with nothing changed.
    const kinds = await Promise.all([
      cli(["channel", "edit", channel.id, "--provider", "waha"], env),
      cli(["channel", "edit", channel.id, "--provider", "waha", "--api-key", "waha-key-123", "--client-token", "token-12345"], env),
      cli([...add, "--url", "http://127.0.0.1:11", "--api-key", "k-12345678", "--waba-id", "123456"], env),
      cli(["channel", "edit", channel.id, "--provider", "telegram", "--api-key", "waha-key-123"], env),
    ]);
    expect(kinds.map((run) => [run.code, run.stderr.trim()])).toEqual([
      [2, expect.stringMatching(/^sentinela channel: changing --url, --instance or --provider requires --api-key: /)],
      [2, "sentinela channel: waha channels take no --client-token"],
      [2, "sentinela channel: evolution channels take no --waba-id"],
      [2, `sentinela channel: --provider must be one of ${PROVIDER_KINDS.join(", ")}, not "telegram"`],
    ]);
    const waha = await cli(["channel", "edit", channel.id, "--provider", "waha", "--api-key", "waha-key-123"], env);
    expect(waha.code, waha.stderr).toBe(0);
    const [kind] = await db.sql<{ provider: string; gateway_provider: string; events: string[] }[]>`
      select c.provider, g.provider as gateway_provider, c.webhook_events as events
      from public.channels c join public.gateways g on g.id = c.gateway_id
    `;
    expect(kind).toEqual({ provider: "waha", gateway_provider: "waha", events: ["session.status", "message"] });
    expect(await stored()).toMatchObject({ gateway_url: "http://127.0.0.1:10", key: "waha-key-123" });
  });

  it("adds a Z-API channel with DESIGN.md's flags: the instance token as --api-key, the account's --client-token required and sealed; no import", async () => {
    const add = ["channel", "add", "--tenant", "pousada-cli", "--provider", "zapi", "--url", "https://api.z-api.io", "--instance", "3C0FFEE0000ZAPI"];
    const refused = await Promise.all([
      cli([...add, "--api-key", "instance-token-123"], env),
      cli(["import", "zapi", "--url", "https://api.z-api.io", "--api-key", "instance-token-123", "--tenant", "pousada-cli"], env),
    ]);
    expect(refused.map((run) => [run.code, run.stderr.trim()])).toEqual([
      [2, "sentinela channel: zapi channels need --client-token"],
      [2, expect.stringMatching(/^sentinela import: cannot import from "zapi"/)],
    ]);
    const added = await cli([...add, "--api-key", "instance-token-123", "--client-token", "account-token-123", "--name", "Recepção Z-API"], env);
    expect(added.code, added.stderr).toBe(0);
    const [row] = await db.sql<{ provider: string; events: string[]; key: string; client_token: string }[]>`
      select c.provider, c.webhook_events as events, s.api_key_ciphertext as key, s.client_token_ciphertext as client_token
      from public.channels c join public.channel_secrets s on s.channel_id = c.id where c.instance_name = '3C0FFEE0000ZAPI'
    `;
    expect({ ...row, key: decryptSecret(row!.key, KEY), client_token: decryptSecret(row!.client_token, KEY) }).toEqual({
      provider: "zapi", events: ["connected", "disconnected"], key: "instance-token-123", client_token: "account-token-123",
    });
    expect(added.stdout).not.toContain("account-token-123");
  });

  it("takes --app-secret for a Cloud API channel only (optional, sealed, kept when left out of an edit) and refuses it elsewhere", async () => {
    const SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const add = ["channel", "add", "--tenant", "pousada-cli", "--provider", "cloud-api", "--url", "https://graph.facebook.com/v23.0",
      "--api-key", "EAAG-access-token", "--waba-id", "102290129340398"];
    const runs = await Promise.all([
      cli(["channel", "add", "--tenant", "pousada-cli", "--provider", "waha", "--url", "http://127.0.0.1:12", "--instance", "default",
        "--api-key", "waha-key-123", "--app-secret", SECRET], env),
      cli([...add, "--instance", "106540352242000", "--app-secret", "short"], env),
      cli([...add, "--instance", "106540352242001"], env),
    ]);
    expect(runs.map((run) => [run.code, run.stderr.trim()])).toEqual([
      [2, "sentinela channel: waha channels take no --app-secret"],
      [2, "sentinela channel: app secret looks too short"],
      [0, ""],
    ]);
    const sealed = async () => {
      const [row] = await db.sql<{ id: string; app: string | null }[]>`
        select c.id, s.app_secret_ciphertext as app from public.channels c join public.channel_secrets s on s.channel_id = c.id
        where c.instance_name = '106540352242001'`;
      return row;
    };
    const before = await sealed();
    expect(before.app).toBeNull();
    const edited = await cli(["channel", "edit", before.id, "--app-secret", SECRET], env);
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).not.toContain(SECRET);
    expect(decryptSecret((await sealed()).app!, KEY)).toBe(SECRET);
    expect((await cli(["channel", "edit", before.id, "--name", "Recepção oficial"], env)).code).toBe(0);
    expect(decryptSecret((await sealed()).app!, KEY)).toBe(SECRET);
  });
});
