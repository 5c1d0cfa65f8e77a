import type { RawContactInput } from "@/lib/alerts/contact-input";
import { addAlertContact } from "@/lib/alerts/manage-contacts";
import type { Db } from "@/lib/db/client";
import { demoInstanceName } from "@/lib/demo/seed-demo";

/**
 * Who the demo alerts: per demo tenant, a couple of contacts (e-mail to the demo users, in pt-BR and
 * en, one with quiet hours; one WhatsApp number sent to through the tenant's alert sender), and the
 * healthy line chosen as the tenant's alert sender (the demo's weather never drops it). Seeded once per
 * tenant: a tenant that already has contacts is left as its admins changed it.
 */

export interface DemoAlertTenant {
  slug: string;
  /** A healthy channel of the tenant (by name) that sends its WhatsApp alerts. */
  senderChannel: string;
  contacts: (RawContactInput & { name: string })[];
}

export const DEMO_ALERTS: DemoAlertTenant[] = [
  {
    slug: "pousada-mar-azul",
    senderChannel: "Check-in Digital",
    contacts: [
      { name: "Bruno Lima", kind: "email", target: "bruno@marazul.demo", language: "pt-BR" },
      { name: "Ana Souza", kind: "email", target: "ana@marazul.demo", language: "en", quietHours: "22:00-07:00", criticalOverridesQuiet: true },
      { name: "Plantão Mar Azul (WhatsApp)", kind: "whatsapp", target: "+5512990000001", language: "pt-BR", states: ["needs_qr", "replaced", "provider_down"] },
    ],
  },
  {
    slug: "serra-verde",
    senderChannel: "Concierge Serra",
    contacts: [
      { name: "Diego Ferreira", kind: "email", target: "diego@serraverde.demo", language: "pt-BR" },
      { name: "Carla Menezes", kind: "email", target: "carla@serraverde.demo", language: "en", states: ["needs_qr", "replaced", "provider_down", "misconfigured"] },
    ],
  },
  {
    slug: "refugio-ilhabela",
    senderChannel: "Atendimento Barra Velha",
    contacts: [
      { name: "Helena Castro", kind: "email", target: "helena@ilhabela.demo", language: "pt-BR" },
      { name: "Ilhabela Ops", kind: "email", target: "ops@ilhabela.demo", language: "en", quietHours: "23:00-06:00", criticalOverridesQuiet: false },
    ],
  },
];

/** Instances the weather must leave alone: the lines alerts are sent from. */
export function demoAlertSenderInstances(): string[] {
  return DEMO_ALERTS.map((tenant) => demoInstanceName(tenant.slug, tenant.senderChannel));
}

/** Seeds contacts and senders for demo tenants that have no contacts yet. Returns how many contacts were added. */
export async function seedDemoAlerts(db: Db, secretKey: string): Promise<number> {
  let added = 0;
  for (const demo of DEMO_ALERTS) {
    const [tenant] = await db<{ id: string; contacts: number }[]>`
      select t.id, (select count(*)::int from public.alert_contacts c where c.tenant_id = t.id) as contacts
      from public.tenants t where t.slug = ${demo.slug}
    `;
    if (!tenant || tenant.contacts > 0) continue;
    for (const contact of demo.contacts) {
      await addAlertContact({ db, secretKey }, tenant.id, contact);
      added++;
    }
    await db`
      update public.tenants set alert_sender_channel_id = (
        select id from public.channels where tenant_id = ${tenant.id} and display_name = ${demo.senderChannel} limit 1
      ) where id = ${tenant.id} and alert_sender_channel_id is null
    `;
  }
  return added;
}
