"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { TableScroll } from "@/components/table-scroll";
import type { ImportFormState, ImportPreviewRow, MessageRef } from "@/lib/import/import-form";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import { isProviderKind, PROVIDER_KINDS, type ProviderKind } from "@/lib/providers/types";

/** Gateways that can list their sessions (lib/import/import-form.ts's IMPORTABLE_KINDS, without its server imports). */
const KINDS = PROVIDER_KINDS.filter((kind) => PROVIDER_TRAITS[kind].capabilities.importSessions);

interface TenantOption {
  id: string;
  name: string;
}

interface Props {
  action: (state: ImportFormState, data: FormData) => Promise<ImportFormState>;
  initial: ImportFormState;
  /** One tenant: a single name pattern. Several (platform staff): rows of pattern → tenant. */
  tenants: TenantOption[];
  mode: "tenant" | "staff";
  doneHref: string;
}

interface Rule {
  pattern: string;
  tenantId: string;
}

const button =
  "rounded-md px-3 py-2 text-sm font-semibold shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700 disabled:opacity-60";
const input = "block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-2 focus:outline-brand-700";

/**
 * Import from a gateway: URL, global key and name pattern(s) → a preview with checkboxes → add the ticked
 * instances. Inputs are controlled so the key survives the preview round trip in the browser only: the
 * server never sends it back, and lists the gateway again when adding.
 */
export function ImportForm({ action, initial, tenants, mode, doneHref }: Props) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(action, initial);
  const [provider, setProvider] = useState<ProviderKind>(KINDS[0]);
  const [gatewayUrl, setGatewayUrl] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [wabaId, setWabaId] = useState("");
  const [rules, setRules] = useState<Rule[]>([{ pattern: "", tenantId: tenants[0]?.id ?? "" }]);
  const [intent, setIntent] = useState<"preview" | "add">("preview");
  const [previewedWith, setPreviewedWith] = useState<string | null>(null);
  const [seenPreview, setSeenPreview] = useState(state.preview);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const needsWaba = PROVIDER_TRAITS[provider].credentials.wabaId;
  const inputs = JSON.stringify({ provider, gatewayUrl, rules, wabaId: needsWaba ? wabaId : "" });

  // A new preview ticks every instance it would add.
  if (state.preview !== seenPreview) {
    setSeenPreview(state.preview);
    setSelected(new Set(state.preview?.rows.filter((row) => row.action === "add").map((row) => row.name) ?? []));
  }
  const message = (ref: MessageRef | undefined) => (ref ? t(ref.key, ref.values) : null);
  const setRule = (index: number, change: Partial<Rule>) =>
    setRules((current) => current.map((rule, at) => (at === index ? { ...rule, ...change } : rule)));
  const stale = state.preview !== undefined && previewedWith !== inputs;

  return (
    <form action={formAction} className="space-y-4" noValidate data-testid="import-form">
      {state.formError && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">{message(state.formError)}</p>
      )}
      {state.result && (
        <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="import-result">
          {t("import.result", state.result)} <Link href={doneHref} className="font-semibold underline">{t("import.seeChannels")}</Link>
        </p>
      )}
      <Field id="provider" label={t("import.fields.provider")} hint={t(`import.hints.provider.${provider}`)} error={message(state.errors.provider)}>
        <select id="provider" name="provider" value={provider} data-testid="import-provider"
          onChange={(event) => isProviderKind(event.target.value) && setProvider(event.target.value)}
          className={`${input} bg-white ${state.errors.provider ? "border-red-500" : "border-slate-300"}`}>
          {KINDS.map((kind) => <option key={kind} value={kind}>{PROVIDER_TRAITS[kind].label}</option>)}
        </select>
      </Field>
      <Field id="gatewayUrl" label={t("import.fields.gatewayUrl")} hint={t("import.hints.gatewayUrl")} error={message(state.errors.gatewayUrl)}>
        <input id="gatewayUrl" name="gatewayUrl" type="url" inputMode="url" autoComplete="off" spellCheck={false} value={gatewayUrl}
          onChange={(event) => setGatewayUrl(event.target.value)} aria-required className={`${input} ${state.errors.gatewayUrl ? "border-red-500" : "border-slate-300"}`} />
      </Field>
      <Field id="apiKey" label={t("import.fields.apiKey")} hint={t(`import.hints.apiKeyOf.${provider}`)} error={message(state.errors.apiKey)}>
        <input id="apiKey" name="apiKey" type="password" autoComplete="new-password" spellCheck={false} value={apiKey}
          onChange={(event) => setApiKey(event.target.value)} aria-required className={`${input} ${state.errors.apiKey ? "border-red-500" : "border-slate-300"}`} />
      </Field>
      {needsWaba && (
        <Field id="wabaId" label={t("import.fields.wabaId")} hint={t("import.hints.wabaId")} error={message(state.errors.wabaId)}>
          <input id="wabaId" name="wabaId" type="text" inputMode="numeric" autoComplete="off" spellCheck={false} value={wabaId}
            data-testid="import-waba-id" onChange={(event) => setWabaId(event.target.value)} aria-required
            className={`${input} ${state.errors.wabaId ? "border-red-500" : "border-slate-300"}`} />
        </Field>
      )}
      {mode === "tenant" ? (
        <Field id="rulePattern-0" label={t("import.fields.pattern")} hint={t("import.hints.pattern")} error={message(state.errors.match)}>
          <input id="rulePattern-0" name="rulePattern" type="text" autoComplete="off" spellCheck={false} value={rules[0].pattern}
            onChange={(event) => setRule(0, { pattern: event.target.value })} className={`${input} ${state.errors.match ? "border-red-500" : "border-slate-300"}`} />
          <input type="hidden" name="ruleTenant" value={rules[0].tenantId} />
        </Field>
      ) : (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{t("import.fields.rules")}</legend>
          <p className="text-xs text-slate-600">{t("import.hints.rules")}</p>
          {rules.map((rule, index) => (
            <div key={index} className="flex flex-wrap items-center gap-2" data-testid="import-rule">
              <input name="rulePattern" type="text" aria-label={t("import.fields.pattern")} autoComplete="off" spellCheck={false} value={rule.pattern}
                placeholder="^pousada-" onChange={(event) => setRule(index, { pattern: event.target.value })} className={`${input} w-auto flex-1 border-slate-300`} />
              <span aria-hidden="true">→</span>
              <select name="ruleTenant" aria-label={t("import.fields.tenant")} value={rule.tenantId}
                onChange={(event) => setRule(index, { tenantId: event.target.value })} className={`${input} w-auto border-slate-300`}>
                {tenants.map((tenant) => <option key={tenant.id} value={tenant.id}>{tenant.name}</option>)}
              </select>
              {rules.length > 1 && (
                <button type="button" onClick={() => setRules((current) => current.filter((_, at) => at !== index))}
                  className={`${button} text-slate-700 hover:bg-slate-100`}>{t("import.removeRule")}</button>
              )}
            </div>
          ))}
          {(state.errors.match || state.errors.tenant) && (
            <p className="text-sm font-medium text-red-800"><span aria-hidden="true">✕ </span>{message(state.errors.match ?? state.errors.tenant)}</p>
          )}
          <button type="button" onClick={() => setRules((current) => [...current, { pattern: "", tenantId: tenants[0]?.id ?? "" }])}
            className={`${button} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>+ {t("import.addRule")}</button>
        </fieldset>
      )}
      {mode === "tenant" && state.errors.tenant && <p className="text-sm font-medium text-red-800">{message(state.errors.tenant)}</p>}
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="intent" value="preview" disabled={pending} data-testid="import-preview"
          onClick={() => { setIntent("preview"); setPreviewedWith(inputs); }}
          className={`${button} ${state.preview ? "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50" : "bg-brand-700 text-white hover:bg-brand-900"}`}>
          {pending && intent === "preview" ? t("import.previewing") : t("import.preview")}
        </button>
        <Link href={doneHref} className={`${button} text-slate-700 hover:bg-slate-100`}>{t("manage.cancel")}</Link>
      </div>
      {state.preview && (
        <Preview
          preview={state.preview}
          selected={selected}
          onToggle={(name, on) => setSelected((current) => { const next = new Set(current); if (on) next.add(name); else next.delete(name); return next; })}
          showTenant={mode === "staff"}
          stale={stale}
          pending={pending && intent === "add"}
          disabled={pending || stale || selected.size === 0}
          onAdd={() => setIntent("add")}
        />
      )}
    </form>
  );
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint: string; error: string | null; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}</label>
      {children}
      <p className="text-xs text-slate-600">{hint}</p>
      {error && <p className="text-sm font-medium text-red-800" role="alert"><span aria-hidden="true">✕ </span>{error}</p>}
    </div>
  );
}

interface PreviewProps {
  preview: NonNullable<ImportFormState["preview"]>;
  selected: Set<string>;
  onToggle: (name: string, on: boolean) => void;
  showTenant: boolean;
  stale: boolean;
  pending: boolean;
  disabled: boolean;
  onAdd: () => void;
}

function Preview({ preview, selected, onToggle, showTenant, stale, pending, disabled, onAdd }: PreviewProps) {
  const t = useTranslations("import");
  const note = (row: ImportPreviewRow) =>
    row.reason === "already_added" ? t("alreadyAdded") : row.reason === "invalid_name" ? t("invalidName") : null;
  const webhook = (row: ImportPreviewRow) => (row.webhookUnreadable ? t("webhookUnreadable") : row.webhookUrl ?? "—");
  return (
    <section aria-labelledby="import-preview-title" className="space-y-3" data-testid="import-preview-list">
      <h2 id="import-preview-title" className="text-lg font-semibold">
        {t("previewTitle", { listed: preview.listed, matched: preview.rows.length, gateway: preview.gatewayUrl })}
      </h2>
      {preview.rows.length === 0 ? <p className="text-sm text-slate-600">{t("noMatch")}</p> : (
        <TableScroll label={t("previewCaption")} className="rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{t("previewCaption")}</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">{t("columns.add")}</th>
                <th scope="col" className="px-3 py-2">{t("columns.name")}</th>
                <th scope="col" className="px-3 py-2">{t("columns.phone")}</th>
                <th scope="col" className="px-3 py-2">{t("columns.state")}</th>
                <th scope="col" className="px-3 py-2">{t("columns.webhook")}</th>
                {showTenant && <th scope="col" className="px-3 py-2">{t("columns.tenant")}</th>}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row) => (
                <tr key={row.name} className="border-t border-slate-100" data-testid="import-row">
                  <td className="px-3 py-2">
                    {row.action === "add" ? (
                      <input type="checkbox" name="select" value={row.name} checked={selected.has(row.name)}
                        onChange={(event) => onToggle(row.name, event.target.checked)} aria-label={t("selectInstance", { name: row.name })} />
                    ) : <span className="text-xs text-slate-500">{note(row)}</span>}
                  </td>
                  <td className="px-3 py-2 font-medium">{row.name}</td>
                  <td className="px-3 py-2 tabular-nums">{row.phone ?? "—"}</td>
                  <td className="px-3 py-2">{t(`gatewayStates.${row.state}`)}</td>
                  <td className="px-3 py-2 break-all text-slate-700">{webhook(row)}</td>
                  {showTenant && <td className="px-3 py-2">{row.tenantName}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {stale && <p className="text-sm text-amber-800">{t("stale")}</p>}
      <button type="submit" name="intent" value="add" disabled={disabled} onClick={onAdd} data-testid="import-add"
        className={`${button} bg-brand-700 text-white hover:bg-brand-900`}>
        {pending ? t("adding") : t("addSelected", { count: selected.size })}
      </button>
    </section>
  );
}
