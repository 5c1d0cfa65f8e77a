import { useTranslations } from "next-intl";
import type { ReactNode } from "react";

/**
 * The raw words behind a plain sentence (stored reasons, gateway answers, error kinds, instance names,
 * time zones), folded under "Detalhes técnicos". Only for admins: callers render it only when the
 * viewer may see them (tenant admins and platform staff), so a viewer's page never carries these words
 * at all, folded or not. Rows with no value are left out; nothing at all renders nothing.
 */
export function TechnicalDetails({ items, className = "" }: { items: [label: string, value: ReactNode][]; className?: string }) {
  const t = useTranslations("channel");
  const shown = items.filter(([, value]) => value !== null && value !== undefined && value !== "");
  if (shown.length === 0) return null;
  return (
    <details className={`text-xs text-slate-600 ${className}`} data-testid="technical-details">
      <summary className="w-fit cursor-pointer rounded font-medium text-slate-700 hover:text-slate-900">{t("technical")}</summary>
      <dl className="mt-1 grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-0.5 rounded bg-slate-50 p-2">
        {shown.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd className="font-mono break-words text-slate-800">{value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
