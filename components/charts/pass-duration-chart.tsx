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

/** Average and slowest pass per bucket; an empty bucket is a gap in the line, not a zero. */
export function PassDurationChart({ data, labels }: Props) {
  return (
    <ComposedChart responsive data={data} style={{ width: "100%", height: 240 }} margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={24} />
      <YAxis tick={{ fontSize: 12 }} width={56} tickFormatter={axis} />
      <Tooltip formatter={ms} />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
      <Area type="monotone" dataKey="avgMs" name={labels.avg} stroke="#047857" fill="#a7f3d0" dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
      <Line type="monotone" dataKey="maxMs" name={labels.max} stroke="#b45309" dot={false} connectNulls={false} isAnimationActive={false} />
    </ComposedChart>
  );
}
