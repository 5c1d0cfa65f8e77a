"use client";

import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { ChannelRow, type ChannelListRow } from "@/components/channel-row";
import styles from "@/components/channel-row.module.css";
import { DayStripLegend } from "@/components/day-strip";
import { StateSummary } from "@/components/state-summary";
import type { ChannelState } from "@/lib/monitor/states";

export type { ChannelListRow } from "@/components/channel-row";

function normalise(text: string) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function matches(row: ChannelListRow, query: string): boolean {
  const q = normalise(query.trim());
  if (!q) return true;
  if (normalise(row.name).includes(q)) return true;
  // Only a query that looks like a phone number is matched against phones ("imovel 01" is a name).
  if (!/^[\d\s()+.-]+$/.test(q)) return false;
  const digits = q.replace(/\D/g, "");
  return digits.length > 0 && (row.phone ?? "").replace(/\D/g, "").includes(digits);
}

/**
 * The tenant's channels as the server ordered them (worst first), with a count per state that doubles
 * as a filter, a state select and a search by name or phone. Filters live in the browser: the page
 * refreshes itself every few seconds and the choice must survive that.
 */
export function ChannelList({ rows }: { rows: ChannelListRow[] }) {
  const t = useTranslations("channelList");
  const states = useTranslations("states");
  const [state, setState] = useState<ChannelState | "all">("all");
  const [query, setQuery] = useState("");
  const counts = useMemo(() => {
    const byState = new Map<ChannelState, number>();
    for (const row of rows) byState.set(row.state, (byState.get(row.state) ?? 0) + 1);
    return [...byState.entries()];
  }, [rows]);
  const visible = rows.filter((row) => (state === "all" || row.state === state) && matches(row, query));

  return (
    <div className="space-y-4">
      <StateSummary counts={counts} total={rows.length} selected={state} onSelect={setState} />
      <div className="flex flex-col gap-2 sm:flex-row">
        <label className="flex-1">
          <span className="sr-only">{t("search")}</span>
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder={t("search")}
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2"
          />
        </label>
        <label>
          <span className="sr-only">{t("filter")}</span>
          <select
            value={state}
            onChange={(e) => setState(e.target.value as ChannelState | "all")}
            aria-label={t("filter")}
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 sm:w-auto"
          >
            <option value="all">{t("allStates")}</option>
            {counts.map(([value, count]) => (
              <option key={value} value={value}>{`${states(value)} (${count})`}</option>
            ))}
          </select>
        </label>
      </div>
      <p className="sr-only" aria-live="polite">{t("showing", { shown: visible.length, total: rows.length })}</p>
      <div aria-hidden="true" className={`${styles.columns} ${styles.header}`}>
        <span>{t("channel")}</span>
        <span>{t("state")}</span>
        <span className="grid grid-cols-4 gap-2 text-center">
          <span>24 h</span><span>7 d</span><span>30 d</span><span>{t("latency")}</span>
        </span>
        <span>{t("last90")}</span>
      </div>
      <ul className="space-y-2" data-testid="channel-list">
        {visible.map((row) => <ChannelRow key={row.id} row={row} />)}
      </ul>
      {visible.length === 0 && <p className="text-sm text-slate-600">{t("noMatch")}</p>}
      <DayStripLegend />
    </div>
  );
}
