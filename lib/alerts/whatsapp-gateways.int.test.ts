import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { startCloudApiSimulator, type CloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import { startWahaSimulator, type WahaSimulator } from "@/dev/waha-simulator/server";
import { startZapiSimulator, type ZapiSimulator } from "@/dev/zapi-simulator/server";
import { deliverAlerts, type AlertDeliveryDeps } from "@/lib/alerts/deliver-outbox";
import { addAlertContact } from "@/lib/alerts/manage-contacts";
import { createAlertSenders } from "@/lib/alerts/senders";
import { createChannel } from "@/lib/channels/create-channel";
import { generateSecretKey } from "@/lib/crypto/secret-box";
import { loadAlertSenderChannel, setAlertSenderChannel } from "@/lib/db/alert-sender";
import { parseAllowList } from "@/lib/net/allow-list";
import { createProviders } from "@/lib/providers/registry";
import { outboxRows, queueIncidentAlerts } from "@/test/alert-fixtures";
import { forEachBackend } from "@/test/databases";
import { insertChannel, insertTenant } from "@/test/factories";

/**
 * WhatsApp alerts through a sender line on another gateway than Evolution (Z-API, the Cloud API, WAHA),
 * against a real database (PostgreSQL and PGlite) and each gateway's simulator: the tenant's sender read
 * and its keys opened at send time, the alert arriving at the gateway as the contact's number and the
 * rendered text, and refusals (the Cloud API's 24-hour window, a WAHA session not WORKING, an expired
 * token) recorded in plain words and not retried, while a rate limit is.
 */

const APP = "https://sentinela.test";
const outbound = { allowed: parseAllowList("127.0.0.1/32") };
const MORNING = new Date("2026-03-07T13:00:00.000Z"); // 10:00 in São Paulo
const CLIENT_TOKEN = "alerts-zapi-account-token";
const CONTACT = "+5511987654321";

let zapi: ZapiSimulator;
let cloud: CloudApiSimulator;
let waha: WahaSimulator;
/** Both backends share the simulators: every test's instance and phone number ids are its own. */
let run = 0;

beforeAll(async () => {
  zapi = await startZapiSimulator({ clientToken: CLIENT_TOKEN });
  cloud = await startCloudApiSimulator();
  waha = await startWahaSimulator({ apiKey: "alerts-waha-server-key" });
});

afterAll(async () => {
  await zapi.stop();
  await cloud.stop();
  await waha.stop();
});

forEachBackend("WhatsApp alerts through Z-API and Cloud API senders", (db) => {
  const secretKey = generateSecretKey();
  const clock = { now: new Date(MORNING) };
  let tenantId: string;
  let down: { id: string; name: string };

  const deps = (): AlertDeliveryDeps => ({
    db: db().sql,
    secretKey,
    clock: () => new Date(clock.now),
    senders: createAlertSenders({
      appUrl: APP,
      clock: () => new Date(clock.now),
      timeoutMs: 3000,
      smtp: { url: "smtp://127.0.0.1:9", from: "Sentinela <alerts@sentinela.test>" },
      outbound,
      providers: createProviders({ timeoutMs: 2000, outbound }),
      senderChannel: (tenant) => loadAlertSenderChannel(db().sql, tenant, secretKey),
    }),
  });
  const deliver = () => deliverAlerts(deps(), { limit: 100, budgetMs: 30_000 });

  async function connected(channelId: string) {
    await db().sql`update public.channel_status set state = 'connected', since = ${clock.now} where channel_id = ${channelId}`;
  }

  beforeEach(async () => {
    await db().sql`truncate public.tenants cascade`;
    clock.now = new Date(MORNING);
    run++;
    tenantId = (await insertTenant(db().sql, { name: "Pousada Gateways" })).id;
    const row = await insertChannel(db().sql, { tenant_id: tenantId, display_name: "Recepção" });
    down = { id: row.id, name: row.display_name };
  });

  it("an alert goes out through a Z-API sender: the simulator received the contact's number and the alert's text", async () => {
    const id = `ZALERT${run}`;
    zapi.addInstance({ id, token: `${id}-token` });
    const sender = await createChannel(db().sql, {
      tenantId, provider: "zapi", gatewayUrl: zapi.url, instanceName: id, apiKey: `${id}-token`, clientToken: CLIENT_TOKEN, displayName: "Portaria Z-API",
    }, secretKey);
    await connected(sender.id);
    expect(await setAlertSenderChannel(db().sql, tenantId, sender.id)).toBe(true);
    const contact = await addAlertContact({ db: db().sql, secretKey, outbound }, tenantId, { name: "Plantão", kind: "whatsapp", target: CONTACT, language: "pt-BR" });
    const { outboxIds } = await queueIncidentAlerts(db().sql, { tenantId, channels: [down], contactIds: [contact.id], state: "needs_qr", at: clock.now });

    expect(await deliver()).toMatchObject({ sent: 1, failed: 0, retrying: 0 });
    const sent = zapi.stats(id).sent;
    expect(sent).toHaveLength(1);
    expect(sent[0].phone).toBe("5511987654321");
    expect(sent[0].message).toContain("Recepção: Precisa de QR");
    expect((await outboxRows(db().sql, outboxIds))[0]).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    // A repeated run sends nothing more.
    expect(await deliver()).toMatchObject({ sent: 0, failed: 0, retrying: 0 });
    expect(zapi.stats(id).sent).toHaveLength(1);
  });

  it("through a Cloud API sender: outside the 24-hour window the alert fails once, in plain words; inside it, it arrives", async () => {
    const phoneId = `10987654321${run}`;
    const token = `EAAG-alerts-${run}`;
    cloud.addNumber({ id: phoneId, token, wabaId: "300000000000003" });
    const sender = await createChannel(db().sql, {
      tenantId, provider: "cloud-api", gatewayUrl: `${cloud.url}/v23.0`, instanceName: phoneId, apiKey: token, wabaId: "300000000000003", displayName: "Central Cloud API",
    }, secretKey);
    await connected(sender.id);
    await setAlertSenderChannel(db().sql, tenantId, sender.id);
    const contact = await addAlertContact({ db: db().sql, secretKey, outbound }, tenantId, { name: "Plantão", kind: "whatsapp", target: CONTACT, language: "en" });

    // The contact never wrote to this number: Meta takes only a template, and the row fails at once.
    const refused = await queueIncidentAlerts(db().sql, { tenantId, channels: [down], contactIds: [contact.id], state: "needs_qr", at: clock.now });
    expect(await deliver()).toMatchObject({ sent: 0, failed: 1, retrying: 0 });
    const [failed] = await outboxRows(db().sql, refused.outboxIds);
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed.lastError).toContain('from "Central Cloud API" (WhatsApp Cloud API)');
    expect(failed.lastError).toContain("24-hour customer-service window");
    expect(failed.lastError).toContain("approved message template");
    expect(failed.lastError).toContain("131047");
    // Not retried: an hour later nothing is due and nothing more reaches Graph.
    clock.now = new Date(clock.now.getTime() + 3_600_000);
    expect(await deliver()).toMatchObject({ sent: 0, failed: 0, retrying: 0 });
    expect(cloud.sent(phoneId)).toEqual([]);

    // The contact writes to the number: the window is open, and the next alert arrives.
    cloud.customerWrote(phoneId, "5511987654321");
    const resolved = await queueIncidentAlerts(db().sql, { tenantId, channels: [down], contactIds: [contact.id], state: "needs_qr", at: clock.now, event: "resolved" });
    expect(await deliver()).toMatchObject({ sent: 1, failed: 0, retrying: 0 });
    const [message] = cloud.sent(phoneId);
    expect(message.to).toBe("5511987654321");
    expect(message.body).toContain("Recepção");
    expect((await outboxRows(db().sql, resolved.outboxIds))[0]).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("through a WAHA sender (GOWS engine): the session sent the alert to <digits>@c.us; a session not WORKING fails it without retrying", async () => {
    const name = `alerts-waha-${run}`;
    waha.addSession({ name, engine: "GOWS" });
    const sender = await createChannel(db().sql, {
      tenantId, provider: "waha", gatewayUrl: waha.url, instanceName: name, apiKey: "alerts-waha-server-key", displayName: "Recepção WAHA",
    }, secretKey);
    await connected(sender.id);
    await setAlertSenderChannel(db().sql, tenantId, sender.id);
    const contact = await addAlertContact({ db: db().sql, secretKey, outbound }, tenantId, { name: "Plantão", kind: "whatsapp", target: CONTACT, language: "pt-BR" });
    const { outboxIds } = await queueIncidentAlerts(db().sql, { tenantId, channels: [down], contactIds: [contact.id], state: "needs_qr", at: clock.now });
    expect(await deliver()).toMatchObject({ sent: 1, failed: 0, retrying: 0 });
    expect(waha.stats(name).sent).toEqual([expect.objectContaining({ chatId: "5511987654321@c.us", text: expect.stringContaining("Recepção: Precisa de QR") })]);
    expect((await outboxRows(db().sql, outboxIds))[0]).toMatchObject({ status: "sent", attempts: 1 });

    // The monitor has not seen it yet, but WAHA has: the session failed on the gateway.
    waha.setScenario(name, "failed");
    const refused = await queueIncidentAlerts(db().sql, { tenantId, channels: [down], contactIds: [contact.id], state: "needs_qr", at: clock.now, event: "resolved" });
    expect(await deliver()).toMatchObject({ sent: 0, failed: 1, retrying: 0 });
    const [row] = await outboxRows(db().sql, refused.outboxIds);
    expect(row.lastError).toContain('from "Recepção WAHA" (WAHA): WAHA answered HTTP 422: Session status is not as expected');
    expect(waha.stats(name).sent).toHaveLength(1);
  });

  it("a Cloud API rate limit is retried with backoff; an expired token fails at once saying a new one is needed", async () => {
    const phoneId = `20987654321${run}`;
    const token = `EAAG-limits-${run}`;
    cloud.addNumber({ id: phoneId, token });
    cloud.customerWrote(phoneId, "5511987654321");
    const sender = await createChannel(db().sql, {
      tenantId, provider: "cloud-api", gatewayUrl: `${cloud.url}/v23.0`, instanceName: phoneId, apiKey: token, wabaId: "300000000000003", displayName: "Central Cloud API",
    }, secretKey);
    await connected(sender.id);
    await setAlertSenderChannel(db().sql, tenantId, sender.id);
    const contact = await addAlertContact({ db: db().sql, secretKey, outbound }, tenantId, { name: "Plantão", kind: "whatsapp", target: CONTACT, language: "en" });

    cloud.setSendFault(phoneId, "rate_limited");
    const limited = await queueIncidentAlerts(db().sql, { tenantId, channels: [down], contactIds: [contact.id], state: "needs_qr", at: clock.now });
    expect(await deliver()).toMatchObject({ sent: 0, retrying: 1 });
    expect((await outboxRows(db().sql, limited.outboxIds))[0].lastError).toContain("130429");
    cloud.setSendFault(phoneId, null);
    clock.now = new Date(clock.now.getTime() + 60_000);
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(cloud.sent(phoneId)).toHaveLength(1);

    cloud.setScenario(phoneId, "expired_token");
    const expired = await queueIncidentAlerts(db().sql, { tenantId, channels: [down], contactIds: [contact.id], state: "needs_qr", at: clock.now, event: "resolved" });
    expect(await deliver()).toMatchObject({ sent: 0, failed: 1, retrying: 0 });
    const [row] = await outboxRows(db().sql, expired.outboxIds);
    expect(row.lastError).toContain("the access token has expired (code 190)");
    expect(row.lastError).toContain("not retried");
  });
});
