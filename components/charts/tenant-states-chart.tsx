"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { STATE_FILL } from "@/components/charts/state-colors";
import { STATE_LOOK } from "@/components/state-badge";
import type { ChannelState } from "@/lib/monitor/states";

export interface TenantStatesDatum {
  tenant: string;
  counts: Partial<Record<ChannelState, number>>;
}

interface Props {
  data: TenantStatesDatum[];
  /** The states to stack, worst first, with their names in the reader's language. */
  series: { state: ChannelState; label: string }[];
}

/** Legend words in the text colour with the badge's icon: a yellow or pale series colour would be unreadable. */
const legendText = (value: string, entry: { dataKey?: unknown }) => (
  <span style={{ color: "var(--color-slate-700)" }}>
    <span aria-hidden="true">{STATE_LOOK[entry.dataKey as ChannelState]?.icon} </span>
    {value}
  </span>
);

/**
 * Channels per state, one stacked bar per tenant, segments parted by a hairline in the page colour so
 * neighbours stay apart whatever the reader's colour vision. Presentational: the page passes every word.
 */
export function TenantStatesChart({ data, series }: Props) {
  const rows = data.map((d) => ({ tenant: d.tenant, ...d.counts }));
  const height = 64 + Math.max(1, data.length) * 40;
  return (
    <BarChart responsive layout="vertical" data={rows} style={{ width: "100%", height }} margin={{ top: 4, right: 12, bottom: 4, left: 4 }}>
      <CartesianGrid horizontal={false} strokeDasharray="3 3" />
      <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
      <YAxis type="category" dataKey="tenant" width={112} tick={{ fontSize: 11 }} interval={0} />
      <Tooltip cursor={{ fill: "var(--color-slate-100)" }} />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} formatter={legendText} />
      {series.map(({ state, label }) => (
        <Bar key={state} dataKey={state} name={label} stackId="states" fill={STATE_FILL[state]} stroke="var(--color-white)" strokeWidth={1} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}
