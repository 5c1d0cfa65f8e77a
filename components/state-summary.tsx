import { useTranslations } from "next-intl";
import { STATE_LOOK } from "@/components/state-badge";
import type { ChannelState } from "@/lib/monitor/states";

interface Props {
  /** In the order to show them (worst first). */
  counts: [ChannelState, number][];
  total: number;
  selected: ChannelState | "all";
  onSelect: (state: ChannelState | "all") => void;
}

/** How many channels are in each state, at a glance; pressing one shows only those. */
export function StateSummary({ counts, total, selected, onSelect }: Props) {
  const t = useTranslations("channelList");
  const states = useTranslations("states");
  const chip = "inline-flex items-center gap-1.5 rounded-lg px-2.5 py-1 text-xs font-medium ring-1 ring-inset transition sm:gap-2 sm:px-3 sm:py-1.5 sm:text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700";
  return (
    <div role="group" aria-label={t("summary")} className="flex flex-wrap gap-2" data-testid="state-summary">
      <button
        type="button"
        aria-pressed={selected === "all"}
        onClick={() => onSelect("all")}
        className={`${chip} ${selected === "all" ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-50"}`}
      >
        {t("allStates")}
        <span className="tabular-nums font-bold">{total}</span>
      </button>
      {counts.map(([state, count]) => {
        const look = STATE_LOOK[state];
        const pressed = selected === state;
        return (
          <button
            key={state}
            type="button"
            data-state={state}
            aria-pressed={pressed}
            onClick={() => onSelect(pressed ? "all" : state)}
            className={`${chip} ${look.className} ${pressed ? "outline-2 outline-offset-1 outline-slate-900" : "opacity-95 hover:opacity-100"}`}
          >
            <span aria-hidden="true">{look.icon}</span>
            {states(state)}
            <span className="tabular-nums font-bold">{count}</span>
          </button>
        );
      })}
    </div>
  );
}
