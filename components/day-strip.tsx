import { useFormatter, useTranslations } from "next-intl";
import { addDays, countColors, stripRuns } from "@/lib/format/day-strip";
import type { DayColor } from "@/lib/format/uptime";

const FILL: Record<DayColor, string> = {
  green: "bg-emerald-500",
  amber: "bg-amber-400",
  red: "bg-red-600",
  grey: "bg-slate-200",
};

// A hairline after every day, drawn over the runs, so the bar still reads as one bar per day.
const DAY_GAPS = {
  backgroundImage: "linear-gradient(to right, transparent calc(100% - 1px), white calc(100% - 1px))",
  backgroundSize: "calc(100% / var(--days)) 100%",
} as const;

/**
 * Daily uptime as one bar per day, oldest left. `code` has one character per day (see
 * lib/format/day-strip.ts); `firstDay` is the oldest day's local date. The picture has a text
 * alternative that says the same in words, so nothing depends on telling the colours apart.
 */
export function DayStrip({ code, firstDay }: { code: string; firstDay: string }) {
  const t = useTranslations("dayStrip");
  const format = useFormatter();
  const day = (offset: number) => format.dateTime(new Date(`${addDays(firstDay, offset)}T12:00:00Z`), { day: "numeric", month: "short", timeZone: "UTC" });
  const counts = countColors(code);
  const label = t("summary", { days: code.length, ...counts });
  return (
    <div role="img" aria-label={label} className="relative flex h-6 w-full overflow-hidden rounded-sm" style={{ "--days": code.length } as React.CSSProperties}>
      {stripRuns(code).map((run) => (
        <span
          key={run.start}
          className={FILL[run.color]}
          style={{ flexGrow: run.length, flexBasis: 0 }}
          title={`${run.length > 1 ? `${day(run.start)} – ${day(run.start + run.length - 1)}` : day(run.start)}: ${t(run.color)}`}
        />
      ))}
      <span aria-hidden="true" className="pointer-events-none absolute inset-0" style={DAY_GAPS} />
    </div>
  );
}

export function DayStripLegend() {
  const t = useTranslations("dayStrip");
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-label={t("legend")}>
      {(Object.keys(FILL) as DayColor[]).map((color) => (
        <li key={color} className="flex items-center gap-1.5">
          <span aria-hidden="true" className={`inline-block h-3 w-3 rounded-sm ${FILL[color]} ${color === "grey" ? "ring-1 ring-inset ring-slate-300" : ""}`} />
          {t(color)}
        </li>
      ))}
    </ul>
  );
}
