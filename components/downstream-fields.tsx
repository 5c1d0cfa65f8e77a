"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { FieldErrors } from "@/lib/channels/channel-form";
import type { DownstreamFormValues } from "@/lib/channels/downstream-form";

interface Props {
  initial: DownstreamFormValues;
  errors: FieldErrors;
}

const MODES = ["adopt", "manage", "off"] as const;

/**
 * The platform's webhook in the channel form: webhook mode, downstream URL and headers. Stored secrets
 * come masked (query values and header values as ••••) and are never sent to the browser; left as
 * shown they stay as stored. Controlled, so what was typed survives a round trip.
 */
export function DownstreamFields({ initial, errors }: Props) {
  const t = useTranslations("manage");
  const [values, setValues] = useState(initial);
  const set = (name: keyof DownstreamFormValues) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [name]: event.target.value }));
  const input = (error?: string) =>
    `block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-2 focus:outline-brand-700 ${error ? "border-red-500" : "border-slate-300"}`;
  const problem = (name: "webhookMode" | "downstreamUrl" | "downstreamHeaders") =>
    errors[name] && (
      <p id={`${name}-error`} className="text-sm font-medium text-red-800"><span aria-hidden="true">✕ </span>{t(`errors.${errors[name]}`)}</p>
    );

  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" data-testid="downstream-fields">
      <legend className="px-1 text-sm font-semibold text-slate-800">{t("downstream.legend")}</legend>
      <div className="space-y-1">
        <label htmlFor="webhookMode" className="block text-sm font-medium text-slate-800">{t("downstream.mode")}</label>
        <select id="webhookMode" name="webhookMode" value={values.webhookMode} onChange={set("webhookMode")}
          aria-describedby="webhookMode-hint" className={input(errors.webhookMode)}>
          {MODES.map((mode) => <option key={mode} value={mode}>{t(`downstream.modes.${mode}`)}</option>)}
        </select>
        <p id="webhookMode-hint" className="text-xs text-slate-600">{t(`downstream.modeHints.${MODES.includes(values.webhookMode as never) ? values.webhookMode : "adopt"}`)}</p>
        {problem("webhookMode")}
      </div>
      <div className="space-y-1">
        <label htmlFor="downstreamUrl" className="block text-sm font-medium text-slate-800">{t("downstream.url")}</label>
        <input id="downstreamUrl" name="downstreamUrl" type="url" inputMode="url" autoComplete="off" spellCheck={false}
          value={values.downstreamUrl} onChange={set("downstreamUrl")} aria-invalid={errors.downstreamUrl ? true : undefined}
          aria-describedby={`downstreamUrl-hint${errors.downstreamUrl ? " downstreamUrl-error" : ""}`} className={input(errors.downstreamUrl)} />
        <p id="downstreamUrl-hint" className="text-xs text-slate-600">{t("downstream.urlHint")}</p>
        {problem("downstreamUrl")}
      </div>
      <div className="space-y-1">
        <label htmlFor="downstreamHeaders" className="block text-sm font-medium text-slate-800">{t("downstream.headers")}</label>
        <textarea id="downstreamHeaders" name="downstreamHeaders" rows={2} spellCheck={false} autoComplete="off"
          value={values.downstreamHeaders} onChange={set("downstreamHeaders")} aria-invalid={errors.downstreamHeaders ? true : undefined}
          aria-describedby={`downstreamHeaders-hint${errors.downstreamHeaders ? " downstreamHeaders-error" : ""}`}
          className={`${input(errors.downstreamHeaders)} font-mono`} />
        <p id="downstreamHeaders-hint" className="text-xs text-slate-600">{t("downstream.headersHint")}</p>
        {problem("downstreamHeaders")}
      </div>
    </fieldset>
  );
}
