import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { AlertContactForm, type ContactFormInitial } from "@/components/alert-contact-form";
import { AlertTestButton } from "@/components/alert-test-button";
import { TechnicalDetails } from "@/components/technical-details";
import { TableScroll } from "@/components/table-scroll";
import { loadAlertSettings, type AlertSettingsView } from "@/lib/alerts/alert-settings";
import { getSql } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format/date-time";
import { requireActiveTenant } from "@/lib/tenancy/current-viewer";
import { chooseSenderAction, removeContactAction, saveContactAction, testContactAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("alertSettings");
  return { title: t("title") };
}

type Contact = AlertSettingsView["contacts"][number];

const NEW_CONTACT: ContactFormInitial = {
  name: "", kind: "email", target: "", channelIds: null, states: null, language: "pt-BR", quietStart: "", quietEnd: "", criticalOverridesQuiet: true,
};

function initialOf(contact: Contact): ContactFormInitial {
  return {
    contactId: contact.id, name: contact.name, kind: contact.kind, target: contact.target ?? "", channelIds: contact.channelIds,
    states: contact.states, language: contact.language, quietStart: contact.quietStart ?? "", quietEnd: contact.quietEnd ?? "",
    criticalOverridesQuiet: contact.criticalOverridesQuiet, hasUrl: contact.hasUrl,
  };
}

/**
 * Who is alerted for what, per tenant. Everyone in the tenant sees the contacts (webhook URLs as ••••,
 * never the secrets); admins add, edit and remove them, choose the WhatsApp alert sender and send test
 * alerts. `?edit=<id>` opens a contact in the form.
 */
export default async function AlertSettingsPage({ searchParams }: { searchParams: Promise<{ edit?: string }> }) {
  const { claims, tenant } = await requireActiveTenant();
  const view = await loadAlertSettings(await getSql(), claims, tenant.id);
  const t = await getTranslations("alertSettings");
  const tStates = await getTranslations("states");
  const locale = await getLocale();
  const editId = (await searchParams).edit;
  const editing = view.canManage ? view.contacts.find((c) => c.id === editId) : undefined;
  const channelName = new Map(view.channels.map((c) => [c.id, c.name]));
  const sender = view.channels.find((c) => c.id === view.senderChannelId);
  const stateLabel = (s: string) => (s === "blocked" ? t("blocked") : tStates(s));
  const card = "rounded-lg border border-slate-200 bg-white p-4";

  return (
    <section aria-labelledby="alerts-title" className="space-y-6">
      <div>
        <h1 id="alerts-title" className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-slate-600">{tenant.name}</p>
        <p className="mt-2 max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      </div>

      <div className={card} data-testid="alert-contacts">
        <h2 className="text-base font-semibold">{t("contactsTitle")}</h2>
        {view.contacts.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("empty")}</p>
        ) : (
          <TableScroll label={t("contactsTitle")} className="mt-2">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">{t("columns.who")}</th>
                  <th scope="col" className="py-2 pr-3">{t("columns.what")}</th>
                  <th scope="col" className="py-2 pr-3">{t("columns.when")}</th>
                  <th scope="col" className="py-2 pr-3">{t("columns.last")}</th>
                  {view.canManage && <th scope="col" className="py-2"><span className="sr-only">{t("columns.actions")}</span></th>}
                </tr>
              </thead>
              <tbody>
                {view.contacts.map((contact) => (
                  <tr key={contact.id} className="border-t border-slate-100 align-top" data-testid="alert-contact">
                    <td className="py-2 pr-3">
                      <p className="font-medium">{contact.name}{!contact.enabled && <span className="ml-1 text-xs text-slate-500">({t("disabled")})</span>}</p>
                      <p className="text-slate-600">
                        {t(`kinds.${contact.kind}`)} · {contact.target ?? <span aria-label={t("hiddenUrl")}>••••</span>} · {contact.language}
                      </p>
                    </td>
                    <td className="py-2 pr-3">
                      <p>{contact.channelIds ? contact.channelIds.map((id) => channelName.get(id) ?? "?").join(", ") : t("allChannels")}</p>
                      <p className="text-slate-600">{contact.states ? contact.states.map(stateLabel).join(", ") : t("allStates")}</p>
                    </td>
                    <td className="py-2 pr-3">
                      {contact.quietStart ? (
                        <>
                          <p>{t("quietRange", { start: contact.quietStart, end: contact.quietEnd ?? "" })}</p>
                          <p className="text-slate-600">{t(contact.criticalOverridesQuiet ? "criticalThrough" : "criticalHeld")}</p>
                        </>
                      ) : (
                        <p>{t("anyTime")}</p>
                      )}
                    </td>
                    <td className="py-2 pr-3">
                      {contact.last ? (
                        <>
                          <p>{t(`outbox.${contact.last.status}`)} · {t(`events.${contact.last.event}`)}</p>
                          <p className="text-slate-600">{formatDateTime(contact.last.at, locale, tenant.timezone)}</p>
                          {/* The delivery's own error words are for admins, folded (issue 12.3); the status above says it failed. */}
                          {contact.last.status === "failed" && view.canManage && (
                            <TechnicalDetails className="mt-1" items={[[t("lastError"), contact.last.error?.slice(0, 500)]]} />
                          )}
                        </>
                      ) : (
                        <p className="text-slate-600">{t("neverSent")}</p>
                      )}
                    </td>
                    {view.canManage && (
                      <td className="space-y-1 py-2">
                        <AlertTestButton contactId={contact.id} action={testContactAction} />
                        <div className="flex gap-2">
                          <Link href={`/settings/alerts?edit=${contact.id}#contact-form`} className="text-xs font-medium text-brand-700 hover:underline">{t("edit")}</Link>
                          <form action={removeContactAction}>
                            <input type="hidden" name="contactId" value={contact.id} />
                            <button type="submit" className="text-xs font-medium text-red-800 hover:underline">{t("remove")}</button>
                          </form>
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </div>

      <div className={card} data-testid="alert-sender">
        <h2 className="text-base font-semibold">{t("senderTitle")}</h2>
        <p className="mt-1 text-sm text-slate-700">{t("senderIntro")}</p>
        {view.canManage ? (
          <form action={chooseSenderAction} className="mt-2 flex flex-wrap items-end gap-2">
            <input type="hidden" name="tenantId" value={tenant.id} />
            <label className="min-w-0 max-w-full text-sm">
              <span className="block font-medium">{t("senderLabel")}</span>
              <select name="channelId" defaultValue={view.senderChannelId ?? ""} className="max-w-full rounded-md border border-slate-300 px-3 py-2 text-sm">
                <option value="">{t("noSender")}</option>
                {view.senderChoices.map((c) => <option key={c.id} value={c.id}>{c.name} ({tStates(c.state)})</option>)}
              </select>
            </label>
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100">{t("saveSender")}</button>
          </form>
        ) : (
          <p className="mt-2 text-sm">{sender ? sender.name : t("noSender")}</p>
        )}
        {sender && sender.state !== "connected" && <p className="mt-2 text-sm text-red-800">{t("senderDown", { name: sender.name })}</p>}
        {sender?.provider === "cloud-api" && <p className="mt-2 text-sm text-slate-700" data-testid="sender-window">{t("senderServiceWindow", { name: sender.name })}</p>}
      </div>

      {view.canManage && (
        <div id="contact-form" className={card}>
          <h2 className="text-base font-semibold">{editing ? t("editTitle", { name: editing.name }) : t("addTitle")}</h2>
          <div className="mt-3">
            <AlertContactForm
              key={editing?.id ?? "new"}
              tenantId={tenant.id}
              channels={view.channels}
              initial={editing ? initialOf(editing) : NEW_CONTACT}
              action={saveContactAction}
              cancelHref={editing ? "/settings/alerts" : undefined}
            />
          </div>
        </div>
      )}
    </section>
  );
}
