"use client";

import { CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { formatLatency, SLOW_LATENCY_MS } from "@/lib/format/latency";

export interface LatencyChartDatum {
  /** The hour, formatted on the server in the tenant's timezone and the reader's language. */
  label: string;
  avgMs: number | null;
  maxMs: number | null;
}

interface Props {
  data: LatencyChartDatum[];
  labels: { avg: string; max: string; slow: string };
  locale: string;
}

const legendText = (value: string) => <span style={{ color: "var(--color-slate-700)" }}>{value}</span>;

/** Average and slowest check per hour; an hour without checks is a gap in the lines, never a zero.
 * Small dots keep an hour between two gaps visible (a line needs two points). A dashed line marks
 * SLOW_LATENCY_MS, where an answer counts as slow (lib/format/latency.ts). */
export function LatencyChart({ data, labels, locale }: Props) {
  const ms = (value: unknown) => (typeof value === "number" ? formatLatency(value, locale) : "—");
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
      <YAxis tick={{ fontSize: 11 }} width={76} tickFormatter={ms} />
      <Tooltip formatter={ms} />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
      <ReferenceLine y={SLOW_LATENCY_MS} stroke="var(--color-amber-700)" strokeDasharray="2 4" ifOverflow="hidden"
        label={{ value: `${labels.slow} ≥ ${formatLatency(SLOW_LATENCY_MS, locale)}`, position: "insideTopRight", fontSize: 11, fill: "var(--color-amber-800)" }} />
      <Line type="monotone" dataKey="avgMs" name={labels.avg} stroke="var(--color-brand-700)" strokeWidth={2} dot={{ r: 1.5 }} connectNulls={false} isAnimationActive={false} />
      <Line type="monotone" dataKey="maxMs" name={labels.max} stroke="var(--color-amber-700)" strokeDasharray="4 3" dot={{ r: 1.5 }} connectNulls={false} isAnimationActive={false} />
    </ComposedChart>
  );
}
