"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import type { ContactFormState } from "@/lib/alerts/contact-form";
import { ALERT_KINDS, ALERT_STATES, type AlertKind } from "@/lib/alerts/types";

export interface ContactFormInitial {
  contactId?: string;
  name: string;
  kind: AlertKind;
  target: string;
  channelIds: string[] | null;
  states: string[] | null;
  language: "pt-BR" | "en";
  quietStart: string;
  quietEnd: string;
  criticalOverridesQuiet: boolean;
  /** Edit of a webhook kind: a URL is stored (shown as ••••, replaced only when one is typed). */
  hasUrl?: boolean;
}

interface Props {
  tenantId: string;
  channels: { id: string; name: string }[];
  initial: ContactFormInitial;
  action: (state: ContactFormState, data: FormData) => Promise<ContactFormState>;
  cancelHref?: string;
}

const input = "block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:outline-2 focus:outline-brand-700";

/**
 * Add or edit an alert contact. Webhook URLs are write-only: an edit shows •••• and keeps the stored URL
 * unless a new one is typed; a signed webhook's secret is shown once, right after it was made.
 */
export function AlertContactForm({ tenantId, channels, initial, action, cancelHref }: Props) {
  const t = useTranslations("alertSettings");
  const tStates = useTranslations("states");
  const [state, formAction, pending] = useActionState(action, { status: "idle", errors: {}, values: {} } as ContactFormState);
  const editing = initial.contactId !== undefined;
  const [kind, setKind] = useState<AlertKind>(initial.kind);
  const [scope, setScope] = useState(initial.channelIds ? "some" : "all");
  const error = (field: string) =>
    state.errors[field] ? (
      <p id={`${field}-error`} className="text-sm font-medium text-red-800"><span aria-hidden="true">✕ </span>{t(`errors.${state.errors[field]}`)}</p>
    ) : null;
  const webhookKind = kind === "webhook" || kind === "slack";
  // React resets a form's uncontrolled fields after its action: they start from what was typed when it was
  // refused (the echo), from the contact when editing, and empty after an add.
  const echo = state.status === "invalid" || state.status === "refused" || (state.status === "saved" && editing) ? state.values : {};
  const str = (name: keyof ContactFormInitial) => (typeof echo[name] === "string" ? (echo[name] as string) : String(initial[name] ?? ""));
  const list = (name: "channelIds" | "states") => (Array.isArray(echo[name]) ? (echo[name] as string[]) : (initial[name] ?? []));
  const checked = typeof echo.criticalOverridesQuiet === "boolean" ? echo.criticalOverridesQuiet : initial.criticalOverridesQuiet;
  const key = JSON.stringify([state.status, echo]);

  return (
    <form key={key} action={formAction} className="space-y-4" noValidate data-testid="alert-contact-form">
      <input type="hidden" name="tenantId" value={tenantId} />
      {editing && <input type="hidden" name="contactId" value={initial.contactId} />}
      {state.status === "refused" && <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">{t("refused")}</p>}
      {state.status === "invalid" && <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">{t("invalid")}</p>}
      {state.status === "saved" && (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="contact-saved">
          <p>{t("saved")}</p>
          {state.signingSecret && (
            <p className="mt-2">
              {t("secretOnce")} <code className="break-all rounded bg-white px-1 font-mono" data-testid="signing-secret">{state.signingSecret}</code>
            </p>
          )}
        </div>
      )}

      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor="contact-name" className="block text-sm font-medium">{t("fields.name")}</label>
          <input id="contact-name" name="name" defaultValue={str("name")} className={input} aria-invalid={state.errors.name ? true : undefined} aria-describedby={state.errors.name ? "name-error" : undefined} />
          {error("name")}
        </div>
        <div className="space-y-1">
          <label htmlFor="contact-kind" className="block text-sm font-medium">{t("fields.kind")}</label>
          <select id="contact-kind" name="kind" value={kind} disabled={editing} onChange={(event) => setKind(event.target.value as AlertKind)} className={input}>
            {ALERT_KINDS.map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
          </select>
          {editing && <input type="hidden" name="kind" value={kind} />}
        </div>
      </div>

      {!webhookKind ? (
        <div className="space-y-1">
          <label htmlFor="contact-target" className="block text-sm font-medium">{t(kind === "email" ? "fields.email" : "fields.phone")}</label>
          <input
            id="contact-target" name="target" defaultValue={str("target")} className={input}
            type={kind === "email" ? "email" : "tel"} inputMode={kind === "email" ? "email" : "tel"} autoComplete="off"
            aria-invalid={state.errors.target ? true : undefined} aria-describedby={state.errors.target ? "target-error" : "target-hint"}
          />
          <p id="target-hint" className="text-xs text-slate-600">{t(kind === "email" ? "hints.email" : "hints.phone")}</p>
          {error("target")}
        </div>
      ) : (
        <div className="space-y-1">
          <label htmlFor="contact-url" className="block text-sm font-medium">{t(kind === "slack" ? "fields.slackUrl" : "fields.webhookUrl")}</label>
          <input
            id="contact-url" name="webhookUrl" type="url" inputMode="url" autoComplete="off" spellCheck={false} className={input}
            placeholder={editing && initial.hasUrl ? "••••" : "https://"}
            aria-invalid={state.errors.webhookUrl ? true : undefined} aria-describedby={state.errors.webhookUrl ? "webhookUrl-error" : "url-hint"}
          />
          <p id="url-hint" className="text-xs text-slate-600">{t(editing ? "hints.urlKept" : kind === "slack" ? "hints.slack" : "hints.webhook")}</p>
          {error("webhookUrl")}
          {editing && kind === "webhook" && (
            <label className="flex items-center gap-2 text-sm"><input type="checkbox" name="rotateSecret" /> {t("fields.rotateSecret")}</label>
          )}
        </div>
      )}

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">{t("fields.channels")}</legend>
        <label className="mr-4 inline-flex items-center gap-2 text-sm">
          <input type="radio" name="channelScope" value="all" checked={scope === "all"} onChange={() => setScope("all")} /> {t("allChannels")}
        </label>
        <label className="inline-flex items-center gap-2 text-sm">
          <input type="radio" name="channelScope" value="some" checked={scope === "some"} onChange={() => setScope("some")} /> {t("someChannels")}
        </label>
        {scope === "some" && (
          <div className="grid max-h-48 gap-1 overflow-y-auto rounded border border-slate-200 p-2 sm:grid-cols-2">
            {channels.map((channel) => (
              <label key={channel.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="channelIds" value={channel.id} defaultChecked={list("channelIds").includes(channel.id)} /> {channel.name}
              </label>
            ))}
          </div>
        )}
        {error("channelIds")}
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">{t("fields.states")}</legend>
        <p className="text-xs text-slate-600">{t("hints.states")}</p>
        <div className="grid gap-1 sm:grid-cols-2">
          {ALERT_STATES.map((s) => (
            <label key={s} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="states" value={s} defaultChecked={list("states").includes(s)} /> {s === "blocked" ? t("blocked") : tStates(s)}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-3">
        <div className="space-y-1">
          <label htmlFor="contact-language" className="block text-sm font-medium">{t("fields.language")}</label>
          <select id="contact-language" name="language" defaultValue={str("language")} className={input}>
            <option value="pt-BR">Português</option>
            <option value="en">English</option>
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="quiet-start" className="block text-sm font-medium">{t("fields.quietStart")}</label>
          <input id="quiet-start" name="quietStart" type="time" defaultValue={str("quietStart")} className={input} aria-describedby="quiet-hint" />
        </div>
        <div className="space-y-1">
          <label htmlFor="quiet-end" className="block text-sm font-medium">{t("fields.quietEnd")}</label>
          <input id="quiet-end" name="quietEnd" type="time" defaultValue={str("quietEnd")} className={input} aria-describedby="quiet-hint" />
        </div>
      </div>
      <p id="quiet-hint" className="text-xs text-slate-600">{t("hints.quiet")}</p>
      {error("quietHours")}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="criticalOverridesQuiet" defaultChecked={checked} /> {t("fields.criticalOverrides")}
      </label>

      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-900 disabled:opacity-60">
          {pending ? t("saving") : editing ? t("saveChanges") : t("add")}
        </button>
        {cancelHref && <Link href={cancelHref} className="rounded-md border border-slate-300 px-3 py-2 text-sm">{t("cancel")}</Link>}
      </div>
    </form>
  );
}
