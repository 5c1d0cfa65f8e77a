"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { DownstreamFields } from "@/components/downstream-fields";
import { ReasonText } from "@/components/reason-text";
import type { ChannelField, ChannelFormState } from "@/lib/channels/channel-form";
import { NEW_CHANNEL_DOWNSTREAM } from "@/lib/channels/downstream-form";
import { channelReason } from "@/lib/format/channel-reason";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import { isProviderKind, PROVIDER_KINDS, type ProviderKind } from "@/lib/providers/types";

interface Props {
  mode: "create" | "edit";
  action: (state: ChannelFormState, data: FormData) => Promise<ChannelFormState>;
  initial: ChannelFormState;
  /** Sent with every submit (the tenant the channel is added to). */
  hidden?: Record<string, string>;
  cancelHref: string;
}

type Intent = "save" | "test";
type TextField = Exclude<ChannelField, "provider">;
const FIELDS: { name: TextField; type: string; autoComplete: string; inputMode?: "url" | "tel" | "numeric" }[] = [
  { name: "displayName", type: "text", autoComplete: "off" },
  { name: "phoneNumber", type: "tel", autoComplete: "off", inputMode: "tel" },
  { name: "gatewayUrl", type: "url", autoComplete: "off", inputMode: "url" },
  { name: "instanceName", type: "text", autoComplete: "off" },
  { name: "apiKey", type: "password", autoComplete: "new-password" },
  { name: "clientToken", type: "password", autoComplete: "new-password" },
  { name: "wabaId", type: "text", autoComplete: "off", inputMode: "numeric" },
  { name: "appSecret", type: "password", autoComplete: "new-password" },
];

/** Fields only some gateway kinds take (lib/providers/traits.ts): shown for those kinds only. */
function takesField(kind: ProviderKind, name: TextField): boolean {
  if (name === "clientToken" || name === "wabaId") return PROVIDER_TRAITS[kind].credentials[name];
  if (name === "appSecret") return Boolean(PROVIDER_TRAITS[kind].appSecret);
  return true;
}

/**
 * Add/edit a channel. Inputs are controlled so that what was typed survives a round trip (React resets
 * a form after its action); the API key is only ever typed here, never sent back by the server.
 * "Test connection" submits the same form with intent=test and saves nothing.
 */
export function ChannelForm({ mode, action, initial, hidden = {}, cancelHref }: Props) {
  const t = useTranslations("manage");
  const tStates = useTranslations("states");
  const [state, formAction, pending] = useActionState(action, initial);
  const [intent, setIntent] = useState<Intent>("save");
  const [values, setValues] = useState<Record<TextField, string>>(() => ({
    displayName: initial.values.displayName ?? "",
    phoneNumber: initial.values.phoneNumber ?? "",
    gatewayUrl: initial.values.gatewayUrl ?? "",
    instanceName: initial.values.instanceName ?? "",
    apiKey: "",
    clientToken: "",
    wabaId: initial.values.wabaId ?? "",
    appSecret: "",
  }));
  const [provider, setProvider] = useState<ProviderKind>(() =>
    isProviderKind(initial.values.provider) ? initial.values.provider : "evolution");
  const hint = (name: TextField) => {
    if (name === "apiKey") return t(mode === "edit" ? "hints.apiKeyEdit" : "hints.apiKey");
    if (name === "clientToken" && mode === "edit") return t("hints.clientTokenEdit");
    if (name === "appSecret") return t(mode === "edit" ? "hints.appSecretEdit" : "hints.appSecret");
    return name in HINTS ? t(`hints.${name}`) : null;
  };
  const button = "rounded-md px-3 py-2 text-sm font-semibold shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700 disabled:opacity-60";

  return (
    <form action={formAction} className="space-y-4" noValidate data-testid="channel-form">
      {Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      {state.formError && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">{t(state.formError)}</p>
      )}
      <div className="space-y-1">
        <label htmlFor="provider" className="block text-sm font-medium text-slate-800">{t("fields.provider")}</label>
        <select
          id="provider"
          name="provider"
          value={provider}
          onChange={(event) => isProviderKind(event.target.value) && setProvider(event.target.value)}
          aria-invalid={state.errors.provider ? true : undefined}
          aria-describedby={["provider-hint", state.errors.provider && "provider-error"].filter(Boolean).join(" ")}
          className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:outline-2 focus:outline-brand-700 ${state.errors.provider ? "border-red-500" : "border-slate-300"}`}
          data-testid="provider"
        >
          {PROVIDER_KINDS.map((kind) => <option key={kind} value={kind}>{PROVIDER_TRAITS[kind].label}</option>)}
        </select>
        <p id="provider-hint" className="text-xs text-slate-600">{t(`hints.provider.${provider}`)}</p>
        {state.errors.provider && (
          <p id="provider-error" className="text-sm font-medium text-red-800"><span aria-hidden="true">✕ </span>{t(`errors.${state.errors.provider}`)}</p>
        )}
      </div>
      {FIELDS.filter(({ name }) => takesField(provider, name)).map(({ name, type, autoComplete, inputMode }) => {
        const error = state.errors[name];
        const describedBy = [hint(name) && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(" ") || undefined;
        return (
          <div key={name} className="space-y-1">
            <label htmlFor={name} className="block text-sm font-medium text-slate-800">{t(`fields.${name}`)}</label>
            <input
              id={name}
              name={name}
              type={type}
              inputMode={inputMode}
              autoComplete={autoComplete}
              spellCheck={false}
              value={values[name]}
              onChange={(event) => setValues((current) => ({ ...current, [name]: event.target.value }))}
              aria-invalid={error ? true : undefined}
              aria-required={name !== "phoneNumber" && name !== "appSecret" && !((name === "apiKey" || name === "clientToken") && mode === "edit")}
              aria-describedby={describedBy}
              className={`block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-2 focus:outline-brand-700 ${error ? "border-red-500" : "border-slate-300"}`}
            />
            {hint(name) && <p id={`${name}-hint`} className="text-xs text-slate-600">{hint(name)}</p>}
            {error && <p id={`${name}-error`} className="text-sm font-medium text-red-800"><span aria-hidden="true">✕ </span>{t(`errors.${error}`)}</p>}
          </div>
        );
      })}
      <DownstreamFields initial={initial.downstream ?? NEW_CHANNEL_DOWNSTREAM} errors={state.errors} />
      <div aria-live="polite" data-testid="test-result">
        {state.test && (
          <div className={`rounded-md border p-3 text-sm ${state.test.state === "connected" ? "border-emerald-300 bg-emerald-50" : "border-amber-300 bg-amber-50"}`}>
            <p className="font-semibold">
              {t("testResult", { state: tStates(state.test.state) })}
              {state.test.latencyMs !== null && <> · {t("testLatency", { ms: state.test.latencyMs })}</>}
            </p>
            <p className="text-slate-700">
              {state.test.state === "connected" ? t("testOk") : <ReasonText reason={channelReason(state.test.state, state.test.reason)} />}
            </p>
          </div>
        )}
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="intent" value="save" onClick={() => setIntent("save")} disabled={pending}
          className={`${button} bg-brand-700 text-white hover:bg-brand-900`}>
          {pending && intent === "save" ? t("saving") : t(mode === "create" ? "create" : "save")}
        </button>
        <button type="submit" name="intent" value="test" onClick={() => setIntent("test")} disabled={pending}
          className={`${button} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50`} data-testid="test-connection">
          {pending && intent === "test" ? t("testing") : t("test")}
        </button>
        <Link href={cancelHref} className={`${button} text-slate-700 hover:bg-slate-100`}>{t("cancel")}</Link>
      </div>
    </form>
  );
}

const HINTS: Partial<Record<TextField, true>> = { gatewayUrl: true, phoneNumber: true };
