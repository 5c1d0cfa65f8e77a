"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { STATE_FILL } from "@/components/charts/state-colors";
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

/** Channels per state, one stacked bar per tenant. Presentational: the page passes every word. */
export function TenantStatesChart({ data, series }: Props) {
  const rows = data.map((d) => ({ tenant: d.tenant, ...d.counts }));
  const height = 64 + Math.max(1, data.length) * 40;
  return (
    <BarChart responsive layout="vertical" data={rows} style={{ width: "100%", height }} margin={{ top: 4, right: 12, bottom: 4, left: 4 }}>
      <CartesianGrid horizontal={false} strokeDasharray="3 3" />
      <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
      <YAxis type="category" dataKey="tenant" width={112} tick={{ fontSize: 11 }} interval={0} />
      <Tooltip cursor={{ fill: "rgba(15, 23, 42, 0.05)" }} />
      <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
      {series.map(({ state, label }) => (
        <Bar key={state} dataKey={state} name={label} stackId="states" fill={STATE_FILL[state]} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}
