import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailInbox, type MailInbox } from "@/dev/mail-inbox/inbox";
import { startZapiSimulator } from "@/dev/zapi-simulator/server";
import { createChannel } from "@/lib/channels/create-channel";
import { generateSecretKey } from "@/lib/crypto/secret-box";
import { startHookReceiver, type HookReceiver } from "@/test/alert-fixtures";
import { backends, type OpenDatabase } from "@/test/databases";
import { insertChannel, insertTenant } from "@/test/factories";

/**
 * `sentinela alerts …` as a person runs it (a spawned CLI against real PostgreSQL, the local inbox and a
 * local webhook endpoint): add, sender, list, test and remove, and bad arguments exiting 2 with one line.
 */

const ROOT = path.resolve(import.meta.dirname, "..");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("sentinela alerts", () => {
  let db: OpenDatabase;
  let inbox: MailInbox;
  let hook: HookReceiver;
  let env: Record<string, string>;
  let channelId: string;
  let otherChannelId: string;

  const cli = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, ["--import", "tsx", "cli/main.ts", "alerts", ...args], { cwd: ROOT, timeout: 30_000, env: { ...process.env, ...env } },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }));
    });
  const oneLine = (run: Run) => run.stderr.trim().split("\n");

  beforeAll(async () => {
    db = await backends.find((backend) => backend.name === "postgres")!.open();
    inbox = await startMailInbox();
    hook = await startHookReceiver();
    env = {
      DATABASE_URL: db.url,
      CHANNEL_SECRET_KEY: generateSecretKey(),
      SMTP_URL: inbox.smtpUrl,
      ALERT_FROM: "Sentinela <alerts@sentinela.test>",
      APP_URL: "https://sentinela.test",
      GATEWAY_ALLOWED_HOSTS: "127.0.0.1/32",
    };
    const tenant = await insertTenant(db.sql, { slug: "mar-azul", name: "Pousada Mar Azul" });
    await insertTenant(db.sql, { slug: "serra", name: "Serra" });
    channelId = (await insertChannel(db.sql, { tenant_id: tenant.id, display_name: "Recepção" })).id;
    otherChannelId = (await insertChannel(db.sql, {})).id;
  });

  afterAll(async () => {
    await hook?.stop();
    await inbox?.stop();
    await db?.close();
  });

  it("add, list, test and remove, each exiting 0; a test that cannot be delivered exits 1 saying why", async () => {
    const email = await cli("add", "--tenant", "mar-azul", "--email", "Bruno@Hotel.test", "--language", "en", "--quiet-hours", "22:00-07:00", "--states", "needs_qr,replaced");
    expect(email.code, email.stderr).toBe(0);
    const emailId = /\(([0-9a-f-]{36})\)/.exec(email.stdout)![1];
    const web = await cli("add", "--tenant", "mar-azul", "--webhook", `${hook.url}/alerts?token=s3cret`, "--name", "Ops hook", "--channels", channelId);
    expect(web.code, web.stderr).toBe(0);
    expect(web.stdout).toMatch(/signing secret \(shown once.*\): whsec_[A-Za-z0-9_-]{43}/);
    const whatsapp = await cli("add", "--tenant", "mar-azul", "--whatsapp-to", "+5512990000001");
    expect(whatsapp.code, whatsapp.stderr).toBe(0);
    const sender = await cli("sender", "--tenant", "mar-azul", "--channel", channelId);
    expect(sender.code, sender.stderr).toBe(0);
    expect(sender.stdout).toContain("go out from Recepção");

    const listed = await cli("list", "--tenant", "mar-azul", "--json");
    expect(listed.code, listed.stderr).toBe(0);
    const contacts = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(contacts.map((c) => [c.kind, c.name, c.target])).toEqual([
      ["email", "Bruno@Hotel.test", "bruno@hotel.test"],
      ["webhook", "Ops hook", null],
      ["whatsapp", "+5512990000001", "+5512990000001"],
    ]);
    expect(contacts[0]).toMatchObject({ language: "en", quietHours: "22:00-07:00", states: ["needs_qr", "replaced"], channels: "all" });
    expect(contacts[1]).toMatchObject({ webhookUrlSet: true, channels: [channelId] });
    // The webhook URL (its token) is never printed back, in JSON or text.
    const text = await cli("list");
    expect(`${listed.stdout}${text.stdout}`).not.toContain("s3cret");
    expect(text.stdout).toContain("<••••>");

    const tested = await cli("test", emailId);
    expect(tested.code, tested.stderr).toBe(0);
    const [mail] = inbox.messages();
    expect(mail).toMatchObject({ subject: "Sentinela test alert (Pousada Mar Azul)", to: ["bruno@hotel.test"] });

    hook.failNext(1, 410);
    const webId = contacts[1].id as string;
    const failed = await cli("test", webId);
    expect(failed.code).toBe(1);
    expect(oneLine(failed)).toEqual([expect.stringMatching(/^sentinela alerts failed: test alert \d+ not delivered: 127\.0\.0\.1:\d+ answered HTTP 410$/)]);

    const removed = await cli("remove", emailId);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse((await cli("list", "--json")).stdout)).toHaveLength(2);
  }, 120_000);

  it("a Z-API line as the sender: 'alerts sender' names its gateway, and a WhatsApp test alert reaches the Z-API gateway", async () => {
    const zapi = await startZapiSimulator({ clientToken: "cli-zapi-account-token" });
    try {
      zapi.addInstance({ id: "CLI-ZAPI", token: "cli-zapi-instance-token" });
      const [tenant] = await db.sql<{ id: string }[]>`select id from public.tenants where slug = 'serra'`;
      const line = await createChannel(db.sql, {
        tenantId: tenant.id, provider: "zapi", gatewayUrl: zapi.url, instanceName: "CLI-ZAPI", apiKey: "cli-zapi-instance-token",
        clientToken: "cli-zapi-account-token", displayName: "Portaria Z-API",
      }, env.CHANNEL_SECRET_KEY);
      await db.sql`update public.channel_status set state = 'connected' where channel_id = ${line.id}`;
      const sender = await cli("sender", "--tenant", "serra", "--channel", line.id);
      expect(sender.code, sender.stderr).toBe(0);
      expect(sender.stdout).toContain(`go out from Portaria Z-API (${line.id}, Z-API)`);
      const added = await cli("add", "--tenant", "serra", "--whatsapp-to", "+5512990000002");
      expect(added.code, added.stderr).toBe(0);
      const tested = await cli("test", /\(([0-9a-f-]{36})\)/.exec(added.stdout)![1]);
      expect(tested.code, tested.stderr).toBe(0);
      expect(zapi.stats("CLI-ZAPI").sent).toEqual([expect.objectContaining({ phone: "5512990000002", message: expect.stringContaining("Serra") })]);
    } finally {
      await zapi.stop();
    }
  }, 120_000);

  it.each([
    [["add", "--tenant", "mar-azul"], "give exactly one of --email ADDR, --webhook URL or --whatsapp-to E164"],
    [["add", "--tenant", "mar-azul", "--email", "a@b.test", "--whatsapp-to", "+5511987654321"], "give exactly one of"],
    [["add", "--tenant", "mar-azul", "--email", "a@b.test", "--slack"], "--slack goes with --webhook URL"],
    [["add", "--tenant", "mar-azul", "--email", "not-an-address"], "--email: e-mail address is not valid"],
    [["add", "--tenant", "mar-azul", "--email", "a@b.test", "--states", "needs_qr,sleepy"], '--states: "sleepy" is not a state'],
    [["add", "--tenant", "mar-azul", "--email", "a@b.test", "--quiet-hours", "25:00-07:00"], "--quiet-hours: quiet hours must be HH:MM-HH:MM"],
    [["add", "--tenant", "mar-azul", "--webhook", "http://169.254.169.254/latest"], "--webhook: webhook URL refused: 169.254.169.254 is a cloud metadata address"],
    [["add", "--tenant", "nowhere", "--email", "a@b.test"], "nowhere"],
    [["sender", "--tenant", "mar-azul", "--channel", "OTHER"], "is not a channel of mar-azul"],
    [["remove", "12"], '"12" is not a contact id'],
    [["remove", "00000000-0000-4000-8000-000000000000"], "no alert contact with id 00000000-0000-4000-8000-000000000000"],
    [["frobnicate"], 'unknown alerts command "frobnicate"'],
  ])("%j exits 2 with one line", async (args, message) => {
    const run = await cli(...args.map((arg) => (arg === "OTHER" ? otherChannelId : arg)));
    expect(run.code, run.stderr).toBe(2);
    const lines = oneLine(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
  }, 60_000);
});
