"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";

export interface PassDurationDatum {
  /** Already formatted in the viewer's timezone. */
  label: string;
  avgMs: number | null;
  maxMs: number | null;
}

interface Props {
  data: PassDurationDatum[];
  labels: { avg: string; max: string };
}

const ms = (value: unknown) => (typeof value === "number" ? `${value.toLocaleString()} ms` : "—");
const axis = (value: number) => (value >= 1000 ? `${(value / 1000).toLocaleString()} s` : `${value} ms`);

/** Legend words in the text colour, readable in light and dark mode. */
const legendText = (value: string) => <span style={{ color: "var(--color-slate-700)" }}>{value}</span>;

/**
 * Average and slowest pass per bucket (the slowest dashed, so the two differ by more than colour); an
 * empty bucket is a gap in the line, not a zero. Colours are palette variables: they turn dark with it.
 */
export function PassDurationChart({ data, labels }: Props) {
  return (
    <ComposedChart responsive data={data} style={{ width: "100%", height: 240 }} margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={24} />
      <YAxis tick={{ fontSize: 12 }} width={56} tickFormatter={axis} />
      <Tooltip formatter={ms} />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
      <Area type="monotone" dataKey="avgMs" name={labels.avg} stroke="var(--color-brand-700)" fill="var(--color-emerald-100)" dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
      <Line type="monotone" dataKey="maxMs" name={labels.max} stroke="var(--color-amber-800)" strokeDasharray="4 3" dot={false} connectNulls={false} isAnimationActive={false} />
    </ComposedChart>
  );
}
