import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { startMailInbox, type MailInbox } from "@/dev/mail-inbox/inbox";
import { deliverAlerts } from "@/lib/alerts/deliver-outbox";
import { addAlertContact } from "@/lib/alerts/manage-contacts";
import { createAlertSenders } from "@/lib/alerts/senders";
import type { RawContactInput } from "@/lib/alerts/contact-input";
import { loadAlertSenderChannel, setAlertSenderChannel } from "@/lib/db/alert-sender";
import { createIncidentStore } from "@/lib/db/incidents-store";
import { incidentStep } from "@/lib/incidents/evaluate-incidents";
import { createProviders } from "@/lib/providers/registry";
import { forEachBackend } from "@/test/databases";
import { startHarness, type Harness } from "@/test/monitor-harness";

/**
 * Alerts as the monitor sends them: each pass runs the incident step and then delivers what it queued
 * (lib/monitor-runtime.ts), against the simulated gateway and the real local inbox. A needs_qr line is
 * told by e-mail and by WhatsApp from the tenant's sender line in the very pass that opens its incident;
 * the scan resolves it and the resolution follows; a gateway down with 20 lines is one alert per contact.
 */

const APP = "https://sentinela.test";
let inbox: MailInbox;

beforeAll(async () => {
  inbox = await startMailInbox();
});
afterAll(async () => {
  await inbox.stop();
});

forEachBackend("alerts from monitor passes", (db) => {
  let h: Harness;
  beforeEach(async () => {
    await db().sql`truncate public.tenants, public.monitor_runs cascade`;
    inbox.clear();
    h = await startHarness(db().sql);
  });
  afterEach(async () => h.stop());

  const deliver = () =>
    deliverAlerts(
      {
        db: h.sql,
        secretKey: h.secretKey,
        clock: () => new Date(h.clock.now),
        senders: createAlertSenders({
          appUrl: APP,
          clock: () => new Date(h.clock.now),
          timeoutMs: 3000,
          smtp: { url: inbox.smtpUrl, from: "Sentinela <alerts@sentinela.test>" },
          providers: createProviders({ timeoutMs: 2000 }),
          senderChannel: (tenantId) => loadAlertSenderChannel(h.sql, tenantId, h.secretKey),
        }),
      },
      { limit: 500, budgetMs: 20_000 },
    );
  /** A pass as the composition root runs it: checks, the incident step, then delivery. */
  const pass = () =>
    h.pass({}, {
      afterWrites: async (run) => {
        const step = await incidentStep({ store: createIncidentStore(h.sql) })(run);
        await deliver();
        return step;
      },
    });
  const contact = (raw: Partial<RawContactInput> & Pick<RawContactInput, "kind">) =>
    addAlertContact({ db: h.sql, secretKey: h.secretKey }, h.tenantId, { name: "Plantão", language: "pt-BR", ...raw });
  const tick = async () => {
    h.clock.advance(30_000);
    await pass();
  };

  it("needs_qr: the pass that opens the incident sends the mail (with the QR link) and the WhatsApp alert from the sender line", async () => {
    const line = await h.addChannel("recepcao", "healthy");
    const sender = await h.addChannel("portaria", "healthy");
    await setAlertSenderChannel(h.sql, h.tenantId, sender);
    await contact({ kind: "email", target: "bruno@hotel.test" });
    await contact({ kind: "email", target: "ana@hotel.test", language: "en" });
    await contact({ kind: "whatsapp", target: "+5512990000001" });
    await pass();

    h.simulator.setScenario("recepcao", "logged_out");
    await tick();
    expect(inbox.messages()).toHaveLength(0); // one check is not an outage (flap damping)
    const started = performance.now();
    await tick();
    const elapsed = performance.now() - started;
    const mails = inbox.messages();
    expect(mails.map((m) => m.subject).sort()).toEqual(["[Sentinela] recepcao: Needs QR", "[Sentinela] recepcao: Precisa de QR"]);
    for (const mail of mails) expect(mail.text).toContain(`${APP}/channels/${line}?pair=1#qr-title`);
    const whatsapp = h.simulator.stats("portaria").sent;
    expect(whatsapp).toHaveLength(1);
    expect(whatsapp[0]).toMatchObject({ number: "5512990000001" });
    expect(whatsapp[0].text).toContain("recepcao: Precisa de QR");
    expect(h.simulator.stats("recepcao").sent).toEqual([]);
    console.log(`needs_qr → inbox: in the pass that opened the incident (2nd check after the drop); that pass took ${Math.round(elapsed)} ms`);

    // A later pass sends nothing again.
    await tick();
    expect(inbox.messages()).toHaveLength(2);

    // Someone scans the QR: the line is back, the incident resolves and each contact hears so once.
    h.simulator.setScenario("recepcao", "healthy");
    await tick();
    await tick();
    const resolved = inbox.messages().filter((m) => m.subject.includes("Resolvido") || m.subject.includes("Resolved"));
    expect(resolved).toHaveLength(2);
    expect(h.simulator.stats("portaria").sent).toHaveLength(2);
    expect(h.simulator.stats("portaria").sent[1].text).toContain("Resolvido: recepcao voltou após");
  });

  it("WhatsApp never goes out from the line the incident is about; other contacts still get theirs", async () => {
    const line = await h.addChannel("recepcao", "healthy");
    await setAlertSenderChannel(h.sql, h.tenantId, line);
    await contact({ kind: "email", target: "bruno@hotel.test" });
    await contact({ kind: "whatsapp", target: "+5512990000001" });
    await pass();
    h.simulator.setScenario("recepcao", "logged_out");
    await tick();
    await tick();
    expect(inbox.messages()).toHaveLength(1);
    expect(h.simulator.stats("recepcao").sent).toEqual([]);
    const [row] = await h.sql<{ status: string; lastError: string }[]>`
      select o.status, o.last_error as "lastError" from public.alert_outbox o join public.alert_contacts c on c.id = o.contact_id where c.kind = 'whatsapp'
    `;
    expect(row.status).toBe("failed");
    expect(row.lastError).toBe('the alert sender "recepcao" is a channel this incident is about; choose another sender');
  });

  it("a sender line that is not connected fails the WhatsApp alert, saying so", async () => {
    await h.addChannel("recepcao", "healthy");
    const sender = await h.addChannel("portaria", "healthy");
    await setAlertSenderChannel(h.sql, h.tenantId, sender);
    await contact({ kind: "whatsapp", target: "+5512990000001" });
    await pass();
    h.simulator.setScenario("portaria", "replaced");
    h.simulator.setScenario("recepcao", "logged_out");
    await tick();
    await tick();
    const rows = await h.sql<{ status: string; lastError: string }[]>`select status, last_error as "lastError" from public.alert_outbox order by id`;
    // portaria (replaced) and recepcao (needs_qr) each opened an incident: neither can be told through portaria.
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed"]);
    expect(rows.map((r) => r.lastError).sort()).toEqual([
      'the alert sender "portaria" is a channel this incident is about; choose another sender',
      'the alert sender "portaria" is not connected (replaced)',
    ]);
    expect(h.simulator.stats("portaria").sent).toEqual([]);
  });

  it("a gateway down with 20 lines: one e-mail per contact, not twenty", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `linha-${i}`);
    for (const name of names) await h.addChannel(name, "healthy");
    await contact({ kind: "email", target: "bruno@hotel.test" });
    await contact({ kind: "email", target: "ana@hotel.test", language: "en" });
    await pass();
    for (const name of names) h.simulator.setScenario(name, "gateway_down", { downMode: "503" });
    for (let i = 0; i < 12; i++) await tick(); // provider_down waits 5 minutes
    const mails = inbox.messages();
    expect(mails).toHaveLength(2);
    expect(mails.find((m) => m.to[0] === "ana@hotel.test")?.text).toContain("20 channels affected:");
    console.log(`gateway down with 20 channels, 2 contacts: ${mails.length} e-mails sent`);
  });
});
