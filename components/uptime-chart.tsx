"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { UptimeDay } from "@/lib/format/channel-charts";

export interface UptimeChartDatum extends UptimeDay {
  /** The day, formatted on the server in the tenant's timezone and the reader's language. */
  label: string;
}

interface Props {
  data: UptimeChartDatum[];
  labels: { up: string; degraded: string; down: string; noData: string; noDataDay: string };
}

const percent = (value: unknown) => (typeof value === "number" ? `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} %` : "—");

/**
 * A day nobody observed is drawn as a thin band this tall (in % of the axis): a full-height grey bar
 * would dwarf the real dips beside it. The tooltip still says the whole day had no data.
 */
const EMPTY_DAY_BAND = 3;

/** Legend words in the text colour: a light series colour would make "no data" unreadable. */
const legendText = (value: string) => <span style={{ color: "var(--color-slate-700)" }}>{value}</span>;

/**
 * Each day as a 100 % bar: connected, unstable and down time, and the rest in grey as "no data" —
 * time nobody observed is never drawn as up. A day with no data at all is a thin grey band. The
 * legend names every colour.
 */
export function UptimeChart({ data, labels }: Props) {
  const bars = data.map((day) => ({ ...day, noDataBar: day.empty ? EMPTY_DAY_BAND : day.noData }));
  const tooltip = (value: unknown, _name: unknown, item: { dataKey?: unknown; payload?: UptimeChartDatum }) =>
    item.dataKey === "noDataBar" && item.payload
      ? ([percent(item.payload.noData), item.payload.empty ? labels.noDataDay : labels.noData] as [string, string])
      : percent(value);
  return (
    <BarChart
      responsive
      data={bars}
      style={{ width: "100%", height: 220 }}
      margin={{ top: 8, right: 8, bottom: 4, left: 0 }}
      barCategoryGap={1}
      accessibilityLayer={false}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={28} interval="preserveStartEnd" />
      <YAxis domain={[0, 100]} ticks={[0, 50, 100]} tick={{ fontSize: 11 }} width={48} tickFormatter={(v: number) => `${v}%`} />
      <Tooltip formatter={tooltip} />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
      <Bar dataKey="up" name={labels.up} stackId="day" fill="#10b981" isAnimationActive={false} />
      <Bar dataKey="degraded" name={labels.degraded} stackId="day" fill="#f59e0b" isAnimationActive={false} />
      <Bar dataKey="down" name={labels.down} stackId="day" fill="#dc2626" isAnimationActive={false} />
      <Bar dataKey="noDataBar" name={labels.noData} stackId="day" fill="var(--color-slate-300)" isAnimationActive={false} />
    </BarChart>
  );
}
