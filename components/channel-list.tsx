"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { StateBadge } from "@/components/state-badge";
import type { DayColor } from "@/lib/format/uptime";
import type { ChannelState } from "@/lib/monitor/states";

export interface ChannelListRow {
  id: string;
  name: string;
  phone: string | null;
  state: ChannelState;
  stateLabel: string;
  reason: string | null;
  since: string;
  lastChecked: string;
  latency: string;
  /** 24 h, 7 d, 30 d, already formatted. */
  uptime: string[];
  strip: { day: string; color: DayColor }[];
}

const FILL: Record<DayColor, string> = {
  green: "bg-emerald-500",
  amber: "bg-amber-400",
  red: "bg-red-500",
  grey: "bg-slate-200",
};

function normalise(text: string) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** Worst-first list with a state filter and a search by name or phone. */
export function ChannelList({ rows }: { rows: ChannelListRow[] }) {
  const t = useTranslations("channelList");
  const [state, setState] = useState<string>("all");
  const [query, setQuery] = useState("");
  const states = useMemo(() => [...new Map(rows.map((r) => [r.state, r.stateLabel])).entries()], [rows]);
  const visible = rows.filter((row) => {
    if (state !== "all" && row.state !== state) return false;
    const q = normalise(query.trim());
    if (!q) return true;
    return normalise(row.name).includes(q) || (row.phone ?? "").replace(/\D/g, "").includes(q.replace(/\D/g, "") || "\u0000");
  });

  return (
    <div className="space-y-3">
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
            onChange={(e) => setState(e.target.value)}
            aria-label={t("filter")}
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 sm:w-auto"
          >
            <option value="all">{t("allStates")}</option>
            {states.map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        </label>
      </div>
      <ul className="space-y-2" data-testid="channel-list">
        {visible.map((row) => (
          <li key={row.id} data-channel-id={row.id} data-state={row.state} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="min-w-0">
                <Link href={`/channels/${row.id}`} className="font-semibold text-slate-900 hover:underline">
                  {row.name}
                </Link>
                <p className="text-sm text-slate-600">{row.phone ?? "—"}</p>
              </div>
              <div className="text-right">
                <StateBadge state={row.state} />
                <p className="mt-1 text-xs text-slate-600">{row.since}</p>
              </div>
            </div>
            {row.reason && row.state !== "connected" && <p className="mt-1 text-sm text-slate-700">{row.reason}</p>}
            <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-xs text-slate-600 sm:grid-cols-5">
              <div><dt className="inline">24 h: </dt><dd className="inline font-medium text-slate-900">{row.uptime[0]}</dd></div>
              <div><dt className="inline">7 d: </dt><dd className="inline font-medium text-slate-900">{row.uptime[1]}</dd></div>
              <div><dt className="inline">30 d: </dt><dd className="inline font-medium text-slate-900">{row.uptime[2]}</dd></div>
              <div><dt className="inline">{t("latency")}: </dt><dd className="inline font-medium text-slate-900">{row.latency}</dd></div>
              <div className="col-span-2 sm:col-span-1">{row.lastChecked}</div>
            </dl>
            <div role="img" aria-label={t("strip")} className="mt-3 flex h-5 items-stretch gap-px">
              {row.strip.map((d) => (
                <span key={d.day} title={d.day} className={`flex-1 rounded-[1px] ${FILL[d.color]}`} />
              ))}
            </div>
          </li>
        ))}
      </ul>
      {visible.length === 0 && <p className="text-sm text-slate-600">{t("noMatch")}</p>}
    </div>
  );
}
