import { useLocale, useTranslations } from "next-intl";
import { formatLatency, isSlow } from "@/lib/format/latency";

/**
 * A response time, or "—" where there is none to show (lib/format/latency.ts decides). A slow one
 * (2 s and more) is marked with an icon, the word and a colour, never the colour alone.
 */
export function LatencyValue({ ms, className = "" }: { ms: number | null; className?: string }) {
  const t = useTranslations("channel");
  const locale = useLocale();
  if (ms === null) return <span className={className}>—</span>;
  if (!isSlow(ms)) return <span className={`tabular-nums ${className}`}>{formatLatency(ms, locale)}</span>;
  return (
    <span className={`inline-flex items-center gap-1 rounded bg-amber-100 px-1.5 font-semibold tabular-nums text-amber-950 ring-1 ring-inset ring-amber-600/40 ${className}`}
      title={t("slowHint")} data-slow="true">
      <span aria-hidden="true">⚠</span>
      {formatLatency(ms, locale)}
      <span className="text-xs font-medium">{t("slow")}</span>
    </span>
  );
}
