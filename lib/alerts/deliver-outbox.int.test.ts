import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startMailInbox, type MailInbox } from "@/dev/mail-inbox/inbox";
import { deliverAlerts, MAX_AGE_MS, RETRY_BASE_MS, type AlertDeliveryDeps } from "@/lib/alerts/deliver-outbox";
import { addAlertContact } from "@/lib/alerts/manage-contacts";
import { createAlertSenders } from "@/lib/alerts/senders";
import type { RawContactInput } from "@/lib/alerts/contact-input";
import { SIGNATURE_HEADER, verifyWebhookSignature } from "@/lib/alerts/webhook-signature";
import { generateSecretKey } from "@/lib/crypto/secret-box";
import { parseAllowList } from "@/lib/net/allow-list";
import { createProviders } from "@/lib/providers/registry";
import { outboxRows, queueIncidentAlerts, startHookReceiver, type HookReceiver } from "@/test/alert-fixtures";
import { forEachBackend } from "@/test/databases";
import { insertChannel, insertTenant } from "@/test/factories";

/**
 * Alert delivery against a real database (PostgreSQL and PGlite), a real SMTP server (the demo's
 * inbox) and a real HTTP endpoint: exactly once under concurrent senders, retries with backoff while
 * SMTP or the endpoint fails for a while, quiet hours and the critical override, giving up after 24 h.
 */

const APP = "https://sentinela.test";
const outbound = { allowed: parseAllowList("127.0.0.1/32") };
// 23:30 in São Paulo (UTC-3): inside 22:00-07:00 quiet hours.
const LATE = new Date("2026-03-07T02:30:00.000Z");
const MORNING = new Date("2026-03-07T10:00:00.000Z"); // 07:00 local

let inbox: MailInbox;
let hook: HookReceiver;

beforeAll(async () => {
  inbox = await startMailInbox();
  hook = await startHookReceiver();
});

afterAll(async () => {
  await hook.stop();
  await inbox.stop();
});

forEachBackend("alert delivery", (db) => {
  const secretKey = generateSecretKey();
  const clock = { now: new Date(LATE) };
  let tenantId: string;
  let channel: { id: string; name: string };

  const deps = (): AlertDeliveryDeps => ({
    db: db().sql,
    secretKey,
    clock: () => new Date(clock.now),
    senders: createAlertSenders({
      appUrl: APP,
      clock: () => new Date(clock.now),
      timeoutMs: 3000,
      smtp: { url: inbox.smtpUrl, from: "Sentinela <alerts@sentinela.test>" },
      outbound,
      providers: createProviders({ timeoutMs: 2000 }),
      senderChannel: async () => null,
    }),
  });
  const run = (options: Partial<Parameters<typeof deliverAlerts>[1]> = {}) => deliverAlerts(deps(), { limit: 1000, budgetMs: 30_000, ...options });
  const contact = (raw: Partial<RawContactInput> & Pick<RawContactInput, "kind">) =>
    addAlertContact({ db: db().sql, secretKey, outbound }, tenantId, { name: "Plantão", language: "en", ...raw });

  beforeEach(async () => {
    await db().sql`truncate public.tenants cascade`;
    inbox.clear();
    hook.reset();
    clock.now = new Date(LATE);
    tenantId = (await insertTenant(db().sql, { name: "Pousada Teste" })).id;
    const row = await insertChannel(db().sql, { tenant_id: tenantId, display_name: "Recepção" });
    channel = { id: row.id, name: row.display_name };
  });

  it("8 concurrent senders deliver every row exactly once, and a repeated run sends nothing more", async () => {
    const emails = await Promise.all(Array.from({ length: 24 }, (_, i) => contact({ kind: "email", target: `p${i}@hotel.test` })));
    const hooks = await Promise.all(Array.from({ length: 8 }, (_, i) => contact({ kind: "webhook", webhookUrl: `${hook.url}/h${i}` })));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const line = await insertChannel(db().sql, { tenant_id: tenantId, display_name: `Linha ${i}` });
      const queued = await queueIncidentAlerts(db().sql, {
        tenantId, channels: [{ id: line.id, name: line.display_name }], contactIds: [...emails, ...hooks].map((c) => c.id), state: "needs_qr", at: clock.now,
        event: (["opened", "reminder", "resolved"] as const)[i], seq: i === 1 ? 1 : 0,
      });
      ids.push(...queued.outboxIds);
    }
    expect(ids).toHaveLength(96);

    const started = performance.now();
    const summaries = await Promise.all(Array.from({ length: 8 }, () => run({ concurrency: 4 })));
    const elapsed = performance.now() - started;
    const sent = summaries.reduce((sum, s) => sum + s.sent, 0);
    expect(sent).toBe(96);
    expect(summaries.every((s) => s.failed === 0 && s.retrying === 0 && s.error === undefined)).toBe(true);
    // Each row once: 72 mails and 24 webhook posts, each with its own delivery id.
    const mails = inbox.messages();
    expect(mails).toHaveLength(72);
    expect(new Set(mails.map((m) => m.headers["x-sentinela-delivery"])).size).toBe(72);
    expect(hook.hits).toHaveLength(24);
    expect(new Set(hook.hits.map((h) => (JSON.parse(h.body) as { id: string }).id)).size).toBe(24);
    expect((await outboxRows(db().sql, ids)).every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
    console.log(`exactly-once: 96 rows by 8 concurrent senders in ${Math.round(elapsed)} ms; repeated runs below`);

    const again = await Promise.all(Array.from({ length: 3 }, () => run()));
    expect(again.reduce((sum, s) => sum + s.sent + s.failed + s.retrying, 0)).toBe(0);
    expect(inbox.messages()).toHaveLength(72);
    expect(hook.hits).toHaveLength(24);
  });

  it("SMTP and the endpoint failing for a while: retried with backoff, then each sent once", async () => {
    clock.now = new Date(MORNING);
    const mail = await contact({ kind: "email", target: "ana@hotel.test" });
    const web = await contact({ kind: "webhook", webhookUrl: `${hook.url}/alerts` });
    const { outboxIds } = await queueIncidentAlerts(db().sql, { tenantId, channels: [channel], contactIds: [mail.id, web.id], state: "disconnected", at: clock.now });
    inbox.failNext(2, 451);
    hook.failNext(2, 503);

    expect(await run()).toMatchObject({ sent: 0, retrying: 2 });
    let rows = await outboxRows(db().sql, outboxIds);
    expect(rows.map((r) => r.status)).toEqual(["pending", "pending"]);
    expect(rows[0].lastError).toContain("451");
    expect(rows[1].lastError).toContain("HTTP 503");
    expect(rows[0].nextAttemptAt.getTime() - clock.now.getTime()).toBe(RETRY_BASE_MS);
    // Not due yet: nothing happens.
    expect(await run()).toMatchObject({ sent: 0, retrying: 0 });

    clock.now = new Date(clock.now.getTime() + RETRY_BASE_MS);
    expect(await run()).toMatchObject({ sent: 0, retrying: 2 });
    rows = await outboxRows(db().sql, outboxIds);
    expect(rows[0].nextAttemptAt.getTime() - clock.now.getTime()).toBe(2 * RETRY_BASE_MS);

    clock.now = new Date(clock.now.getTime() + 2 * RETRY_BASE_MS);
    expect(await run()).toMatchObject({ sent: 2, retrying: 0 });
    rows = await outboxRows(db().sql, outboxIds);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([["sent", 3], ["sent", 3]]);
    expect(inbox.messages()).toHaveLength(1);
    expect(hook.hits.filter((h) => h.status === 200)).toHaveLength(1);
    expect(hook.hits).toHaveLength(3);
  });

  it("a refusal that needs a person fails at once; a failure that lasts gives up after 24 h", async () => {
    clock.now = new Date(MORNING);
    const refused = await contact({ kind: "email", target: "gone@hotel.test" });
    const flaky = await contact({ kind: "webhook", webhookUrl: `${hook.url}/down` });
    const { outboxIds } = await queueIncidentAlerts(db().sql, { tenantId, channels: [channel], contactIds: [refused.id, flaky.id], state: "replaced", at: clock.now });
    inbox.failNext(1, 550);
    hook.failNext(1000, 503);
    expect(await run()).toMatchObject({ failed: 1, retrying: 1 });
    expect((await outboxRows(db().sql, outboxIds))[0]).toMatchObject({ status: "failed", attempts: 1 });

    for (let hours = 0; hours < 25; hours++) {
      clock.now = new Date(clock.now.getTime() + 3_600_000);
      await run();
    }
    const [, gaveUp] = await outboxRows(db().sql, outboxIds);
    expect(gaveUp.status).toBe("failed");
    expect(gaveUp.lastError).toContain("not delivered within 24 h");
    expect(clock.now.getTime() - MORNING.getTime()).toBeGreaterThanOrEqual(MAX_AGE_MS);
    // 30 s doubling to 30 min, then every 30 min: far fewer than one try per hour-step's worth of minutes.
    expect(hook.hits.length).toBeLessThanOrEqual(30);
  });

  it("quiet hours hold a row until they end; a critical state goes through when the contact allows it", async () => {
    const quiet = { kind: "email" as const, quietHours: "22:00-07:00" };
    const sleeper = await contact({ ...quiet, target: "sleeper@hotel.test", criticalOverridesQuiet: true });
    const strict = await contact({ ...quiet, target: "strict@hotel.test", criticalOverridesQuiet: false });
    const critical = await queueIncidentAlerts(db().sql, { tenantId, channels: [channel], contactIds: [sleeper.id, strict.id], state: "needs_qr", at: clock.now });
    const other = await insertChannel(db().sql, { tenant_id: tenantId, display_name: "Reservas" });
    const mild = await queueIncidentAlerts(db().sql, { tenantId, channels: [{ id: other.id, name: "Reservas" }], contactIds: [sleeper.id], state: "disconnected", at: clock.now });

    expect(await run()).toMatchObject({ sent: 1, deferred: 2 });
    expect(inbox.messages().map((m) => m.to[0])).toEqual(["sleeper@hotel.test"]);
    const held = await outboxRows(db().sql, [critical.outboxIds[1], mild.outboxIds[0]]);
    for (const row of held) {
      expect(row).toMatchObject({ status: "pending", attempts: 0 });
      expect(row.nextAttemptAt.toISOString()).toBe(MORNING.toISOString());
    }

    clock.now = new Date(MORNING.getTime() - 60_000);
    expect(await run()).toMatchObject({ sent: 0, deferred: 0 });
    clock.now = new Date(MORNING);
    expect(await run()).toMatchObject({ sent: 2 });
    expect(inbox.messages().map((m) => m.to[0]).sort()).toEqual(["sleeper@hotel.test", "sleeper@hotel.test", "strict@hotel.test"]);
  });

  it("a gateway down is critical; one channel's provider_down waits for the morning", async () => {
    const sleeper = await contact({ kind: "email", target: "sleeper@hotel.test", quietHours: "22:00-07:00" });
    const [gateway] = await db().sql<{ id: string }[]>`select gateway_id as id from public.channels where id = ${channel.id}`;
    await queueIncidentAlerts(db().sql, { tenantId, kind: "gateway", gatewayId: gateway.id, channels: [channel], contactIds: [sleeper.id], state: "provider_down", at: clock.now });
    const other = await insertChannel(db().sql, { tenant_id: tenantId, display_name: "Reservas" });
    await queueIncidentAlerts(db().sql, { tenantId, channels: [{ id: other.id, name: "Reservas" }], contactIds: [sleeper.id], state: "provider_down", at: clock.now });
    expect(await run()).toMatchObject({ sent: 1, deferred: 1 });
    expect(inbox.messages()[0].subject).toBe("[Sentinela] Gateway evo.example.com: Gateway down");
  });

  it("the webhook carries a signature that verifies with the contact's secret, and an old one is rejectable", async () => {
    clock.now = new Date(MORNING);
    const web = await contact({ kind: "webhook", webhookUrl: `${hook.url}/signed`, language: "pt-BR" });
    expect(web.signingSecret).toMatch(/^whsec_/);
    await queueIncidentAlerts(db().sql, { tenantId, channels: [{ ...channel, state: "needs_qr" }], contactIds: [web.id], state: "needs_qr", at: clock.now });
    expect(await run()).toMatchObject({ sent: 1 });
    const [hit] = hook.hits;
    const signature = hit.headers[SIGNATURE_HEADER];
    expect(verifyWebhookSignature(web.signingSecret!, hit.body, signature, clock.now)).toMatchObject({ valid: true });
    expect(verifyWebhookSignature("whsec_wrong", hit.body, signature, clock.now)).toMatchObject({ valid: false, reason: "mismatch" });
    // The same request replayed ten minutes later: refused by its signed timestamp.
    expect(verifyWebhookSignature(web.signingSecret!, hit.body, signature, new Date(clock.now.getTime() + 600_000))).toMatchObject({ valid: false, reason: "too_old" });
    const body = JSON.parse(hit.body) as { type: string; text: string; incident: { channels: { qrUrl?: string }[] } };
    expect(body.type).toBe("incident.opened");
    expect(body.text).toBe("Recepção: Precisa de QR");
    expect(body.incident.channels[0].qrUrl).toBe(`${APP}/channels/${channel.id}?pair=1#qr-title`);
  });

  it("a removed contact's queued alert is never sent; a disabled one's fails saying so", async () => {
    clock.now = new Date(MORNING);
    const removed = await contact({ kind: "email", target: "left@hotel.test" });
    const disabled = await contact({ kind: "email", target: "off@hotel.test" });
    const { outboxIds } = await queueIncidentAlerts(db().sql, { tenantId, channels: [channel], contactIds: [removed.id, disabled.id], state: "needs_qr", at: clock.now });
    await db().sql`delete from public.alert_contacts where id = ${removed.id}`;
    await db().sql`update public.alert_contacts set enabled = false where id = ${disabled.id}`;
    expect(await run()).toMatchObject({ sent: 0, failed: 1 });
    const rows = await outboxRows(db().sql, outboxIds);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed", lastError: "the contact is disabled" });
    expect(inbox.messages()).toHaveLength(0);
  });
});
