"use client";

import { CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";

export interface LatencyChartDatum {
  /** The hour, formatted on the server in the tenant's timezone and the reader's language. */
  label: string;
  avgMs: number | null;
  maxMs: number | null;
}

interface Props {
  data: LatencyChartDatum[];
  labels: { avg: string; max: string };
}

const ms = (value: unknown) => (typeof value === "number" ? `${value.toLocaleString()} ms` : "—");

const legendText = (value: string) => <span style={{ color: "#334155" }}>{value}</span>;

/** Average and slowest check per hour; an hour without checks is a gap in the lines, never a zero.
 * Small dots keep an hour between two gaps visible (a line needs two points). */
export function LatencyChart({ data, labels }: Props) {
  return (
    <ComposedChart
      responsive
      data={data}
      style={{ width: "100%", height: 220 }}
      margin={{ top: 8, right: 8, bottom: 4, left: 0 }}
      accessibilityLayer={false}
    >
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={32} interval="preserveStartEnd" />
      <YAxis tick={{ fontSize: 11 }} width={76} tickFormatter={(v: number) => `${v.toLocaleString()} ms`} />
      <Tooltip formatter={ms} />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
      <Line type="monotone" dataKey="avgMs" name={labels.avg} stroke="#047857" strokeWidth={2} dot={{ r: 1.5 }} connectNulls={false} isAnimationActive={false} />
      <Line type="monotone" dataKey="maxMs" name={labels.max} stroke="#b45309" strokeDasharray="4 3" dot={{ r: 1.5 }} connectNulls={false} isAnimationActive={false} />
    </ComposedChart>
  );
}
