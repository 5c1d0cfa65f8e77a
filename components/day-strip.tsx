import { useTranslations } from "next-intl";
import { countColors, stripRuns } from "@/lib/format/day-strip";
import type { DayColor } from "@/lib/format/uptime";

const HEX: Record<DayColor, string> = {
  green: "#10b981",
  amber: "#fbbf24",
  red: "#dc2626",
  grey: "#e2e8f0",
};

const pct = (fraction: number) => `${Math.round(fraction * 10_000) / 100}%`;

/**
 * Daily uptime as one bar per day, oldest left. `code` has one character per day (see
 * lib/format/day-strip.ts). Drawn as one element with a hard-stop gradient (one stop per run of equal
 * days) under a hairline after every day: 200 channels × 90 days would otherwise be 18,000 elements on
 * every refresh. The picture has a text alternative that says the same in words, so nothing depends
 * on telling the colours apart (the title is both the hover text and the accessible name); the
 * day-by-day chart is on the channel's own page.
 */
export function DayStrip({ code }: { code: string }) {
  const t = useTranslations("dayStrip");
  const counts = countColors(code);
  const label = t("summary", { days: code.length, ...counts });
  const stops = stripRuns(code)
    .map((run) => `${HEX[run.color]} ${pct(run.start / code.length)} ${pct((run.start + run.length) / code.length)}`)
    .join(",");
  return (
    <div
      role="img"
      title={label}
      className="h-6 w-full rounded-sm bg-repeat-x"
      style={{
        backgroundImage: `linear-gradient(to right,transparent calc(100% - 1px),#fff calc(100% - 1px)),linear-gradient(to right,${stops})`,
        backgroundSize: `calc(100% / ${code.length}) 100%,100% 100%`,
      }}
    />
  );
}

export function DayStripLegend() {
  const t = useTranslations("dayStrip");
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-label={t("legend")}>
      {(Object.keys(HEX) as DayColor[]).map((color) => (
        <li key={color} className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm ring-1 ring-inset ring-black/10" style={{ backgroundColor: HEX[color] }} />
          {t(color)}
        </li>
      ))}
    </ul>
  );
}
