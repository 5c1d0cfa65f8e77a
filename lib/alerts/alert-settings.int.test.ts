import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startMailInbox, type MailInbox } from "@/dev/mail-inbox/inbox";
import { chooseSenderAsAdmin, loadAlertSettings, removeContactAsAdmin, saveContactAsAdmin, testContactAsAdmin } from "@/lib/alerts/alert-settings";
import { deliverAlerts } from "@/lib/alerts/deliver-outbox";
import { createChannel } from "@/lib/channels/create-channel";
import { createAlertSenders } from "@/lib/alerts/senders";
import { generateSecretKey } from "@/lib/crypto/secret-box";
import { parseAllowList } from "@/lib/net/allow-list";
import { createProviders } from "@/lib/providers/registry";
import { forEachBackend } from "@/test/databases";
import { insertChannel, insertMembership, insertTenant } from "@/test/factories";

/**
 * /settings/alerts under RLS: members see who is alerted for what, only the tenant's admins change it,
 * webhook secrets never come back, and "send a test alert" queues as the admin and sends at once.
 */

const outbound = { allowed: parseAllowList("127.0.0.1/32") };
let inbox: MailInbox;
beforeAll(async () => {
  inbox = await startMailInbox();
});
afterAll(async () => {
  await inbox.stop();
});

forEachBackend("alert settings as people", (db) => {
  const secretKey = generateSecretKey();
  let tenantId: string;
  let otherTenantId: string;
  let admin: { sub: string };
  let viewer: { sub: string };
  let outsider: { sub: string };
  let channelId: string;
  let foreignChannelId: string;

  beforeEach(async () => {
    const sql = db().sql;
    await sql`truncate public.tenants cascade`;
    inbox.clear();
    tenantId = (await insertTenant(sql, { name: "Pousada Mar Azul" })).id;
    otherTenantId = (await insertTenant(sql)).id;
    admin = { sub: (await insertMembership(sql, { tenant_id: tenantId, role: "admin" })).user_id };
    viewer = { sub: (await insertMembership(sql, { tenant_id: tenantId, role: "viewer" })).user_id };
    outsider = { sub: (await insertMembership(sql, { tenant_id: otherTenantId, role: "admin" })).user_id };
    channelId = (await insertChannel(sql, { tenant_id: tenantId, display_name: "Recepção" })).id;
    foreignChannelId = (await insertChannel(sql, { tenant_id: otherTenantId })).id;
  });

  const save = (claims: { sub: string }, raw: Parameters<typeof saveContactAsAdmin>[3]["raw"], contactId: string | null = null, rotateSecret = false) =>
    saveContactAsAdmin(db().sql, claims, { secretKey, outbound }, { tenantId, contactId, raw, rotateSecret });

  it("admins add and edit contacts; viewers and other tenants' admins change nothing", async () => {
    const added = await save(admin, { name: "Ops hook", kind: "webhook", webhookUrl: "http://127.0.0.1:9/hook?token=s3cret" });
    expect(added).toMatchObject({ status: "done", signingSecret: expect.stringMatching(/^whsec_/) });
    const id = (added as { id: string }).id;
    expect(await save(viewer, { name: "Mine", kind: "email", target: "v@hotel.test" })).toEqual({ status: "forbidden" });
    expect(await save(outsider, { name: "Mine", kind: "email", target: "o@hotel.test" })).toEqual({ status: "forbidden" });
    expect(await save(admin, { name: "Bad", kind: "email", target: "nope" })).toMatchObject({ status: "invalid", field: "target", reason: "email" });
    expect(await save(admin, { name: "Meta", kind: "webhook", webhookUrl: "http://169.254.169.254/x" })).toMatchObject({
      status: "invalid", field: "webhookUrl", reason: "refused.metadata",
    });

    // Edit with the URL left blank keeps it; rotating gives a new secret once.
    const edited = await save(admin, { name: "Ops hook (night)", kind: "webhook", webhookUrl: null, quietHours: "22:00-07:00" }, id, true);
    expect(edited).toMatchObject({ status: "done", signingSecret: expect.stringMatching(/^whsec_/) });
    expect((edited as { signingSecret: string }).signingSecret).not.toBe((added as { signingSecret: string }).signingSecret);

    const seenByViewer = await loadAlertSettings(db().sql, viewer, tenantId);
    expect(seenByViewer.canManage).toBe(false);
    expect(seenByViewer.contacts.map((c) => [c.name, c.kind, c.target, c.quietStart])).toEqual([["Ops hook (night)", "webhook", null, "22:00"]]);
    expect(JSON.stringify(seenByViewer)).not.toContain("s3cret");
    const seenByAdmin = await loadAlertSettings(db().sql, admin, tenantId);
    expect(seenByAdmin).toMatchObject({ canManage: true, channels: [{ id: channelId, name: "Recepção" }] });
    expect(seenByAdmin.contacts[0].hasUrl).toBe(true);
    expect(JSON.stringify(seenByAdmin)).not.toContain("s3cret");
    expect((await loadAlertSettings(db().sql, outsider, tenantId)).contacts).toEqual([]);

    expect(await removeContactAsAdmin(db().sql, viewer, id)).toEqual({ status: "forbidden" });
    expect(await removeContactAsAdmin(db().sql, admin, id)).toEqual({ status: "done" });
    expect((await loadAlertSettings(db().sql, admin, tenantId)).contacts).toEqual([]);
  });

  it("the alert sender is one of the tenant's own channels, chosen by an admin", async () => {
    expect(await chooseSenderAsAdmin(db().sql, viewer, tenantId, channelId)).toEqual({ status: "forbidden" });
    expect(await chooseSenderAsAdmin(db().sql, admin, tenantId, foreignChannelId)).toEqual({ status: "not_found" });
    expect(await chooseSenderAsAdmin(db().sql, admin, tenantId, channelId)).toEqual({ status: "done" });
    expect((await loadAlertSettings(db().sql, viewer, tenantId)).senderChannelId).toBe(channelId);
    expect(await chooseSenderAsAdmin(db().sql, admin, tenantId, null)).toEqual({ status: "done" });
    expect((await loadAlertSettings(db().sql, viewer, tenantId)).senderChannelId).toBeNull();
  });

  it("a line on any gateway may be the alert sender: the choices list every kind, and a Z-API or Cloud API line is kept", async () => {
    const zapi = await createChannel(db().sql, {
      tenantId, provider: "zapi", gatewayUrl: "http://127.0.0.1:9", instanceName: "Z-PORTARIA", apiKey: "zapi-instance-token-portaria", clientToken: "zapi-account-security-token", displayName: "Portaria Z-API",
    }, secretKey);
    const cloud = await createChannel(db().sql, {
      tenantId, provider: "cloud-api", gatewayUrl: "http://127.0.0.1:9/v23.0", instanceName: "109876543210", apiKey: "EAAG-central-cloud-api-access-token", wabaId: "300000000000003", displayName: "Central Cloud API",
    }, secretKey);
    const view = await loadAlertSettings(db().sql, admin, tenantId);
    expect(view.senderChoices.map((c) => [c.name, c.provider]).sort()).toEqual([
      ["Central Cloud API", "cloud-api"], ["Portaria Z-API", "zapi"], ["Recepção", "evolution"],
    ]);
    for (const channel of [zapi, cloud]) {
      expect(await chooseSenderAsAdmin(db().sql, admin, tenantId, channel.id)).toEqual({ status: "done" });
      expect((await loadAlertSettings(db().sql, viewer, tenantId)).senderChannelId).toBe(channel.id);
    }
  });

  it("send a test alert: queued as the admin, sent at once, and the result shown; refused to viewers", async () => {
    const added = (await save(admin, { name: "Bruno", kind: "email", target: "bruno@hotel.test", language: "pt-BR" })) as { id: string };
    const deliver = (ids: string[]) =>
      deliverAlerts({
        db: db().sql, secretKey, clock: () => new Date(),
        senders: createAlertSenders({
          appUrl: "https://sentinela.test", clock: () => new Date(), timeoutMs: 3000,
          smtp: { url: inbox.smtpUrl, from: "Sentinela <alerts@sentinela.test>" }, outbound,
          providers: createProviders({ timeoutMs: 1000 }), senderChannel: async () => null,
        }),
      }, { limit: 10, budgetMs: 10_000, ids });
    expect(await testContactAsAdmin(db().sql, viewer, added.id, deliver)).toEqual({ status: "forbidden" });
    const tested = await testContactAsAdmin(db().sql, admin, added.id, deliver);
    expect(tested).toMatchObject({ status: "done", outcome: { status: "sent", error: null } });
    expect(inbox.messages().map((m) => m.subject)).toEqual(["Alerta de teste do Sentinela (Pousada Mar Azul)"]);
    const [contact] = (await loadAlertSettings(db().sql, viewer, tenantId)).contacts;
    expect(contact.last).toMatchObject({ event: "test", status: "sent" });
  });
});
