import { useTranslations } from "next-intl";
import type { CSSProperties } from "react";
import styles from "@/components/day-strip.module.css";
import { countColors, stripPaths } from "@/lib/format/day-strip";
import type { DayColor } from "@/lib/format/uptime";

const COLORS: DayColor[] = ["green", "amber", "red", "grey"];
/** The SVG is HEIGHT units high and one unit per day across: a day with data fills it, a day without is its bottom unit. */
const HEIGHT = 6;
const middleOrBottom = (color: DayColor) => (color === "grey" ? HEIGHT - 0.5 : HEIGHT / 2);

/**
 * Daily uptime as one bar per day, oldest left. `code` has one character per day (see
 * lib/format/day-strip.ts), drawn as one inline SVG with at most one path per colour (a segment per
 * run of equal days); colours, the no-data band and a hairline after every day come from
 * day-strip.module.css. A few hundred bytes a row, where an element per day would be 18,000 elements
 * for 200 channels. The picture has a text alternative that says the same in words, so nothing
 * depends on telling the colours apart (the title is both the hover text and the accessible name);
 * the day-by-day chart is on the channel's own page.
 */
export function DayStrip({ code }: { code: string }) {
  const t = useTranslations("dayStrip");
  const label = t("summary", { days: code.length, ...countColors(code) });
  return (
    <span className={styles.strip} style={code.length === 90 ? undefined : ({ "--days": code.length } as CSSProperties)}>
      <svg viewBox={`0 0 ${code.length} ${HEIGHT}`} preserveAspectRatio="none" role="img">
        <title>{label}</title>
        {stripPaths(code, middleOrBottom).map(({ color, d }) => <path key={color} className={styles[color]} d={d} />)}
      </svg>
    </span>
  );
}

export function DayStripLegend() {
  const t = useTranslations("dayStrip");
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-label={t("legend")}>
      {COLORS.map((color) => (
        <li key={color} className="flex items-center gap-1.5">
          <span aria-hidden="true" className={`${styles.swatch} ${styles[color]}`} />
          {t(color)}
        </li>
      ))}
    </ul>
  );
}
