import Link from "next/link";
import { useTranslations } from "next-intl";
import { STATE_LOOK } from "@/components/state-badge";
import type { ChannelState } from "@/lib/monitor/states";

export interface StateChip {
  state: ChannelState;
  count: number;
  /** The list filtered to this state, or back to all of them when it already is. */
  href: string;
  selected: boolean;
}

interface Props {
  /** In the order to show them (worst first), counting every channel whatever the filter. */
  chips: StateChip[];
  total: number;
  allHref: string;
  allSelected: boolean;
}

const chip =
  "inline-flex items-center gap-1.5 rounded-lg px-2.5 py-1 text-xs font-medium ring-1 ring-inset transition sm:gap-2 sm:px-3 sm:py-1.5 sm:text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700";

/**
 * How many channels are in each state, at a glance; each count is a link to the list of those (the
 * filter lives in the URL, so it works without JavaScript, from the keyboard, and after a reload).
 * Not prefetched: each link is a fresh database read, and a page shows a dozen of them.
 */
export function StateSummary({ chips, total, allHref, allSelected }: Props) {
  const t = useTranslations("channelList");
  const states = useTranslations("states");
  return (
    <nav aria-label={t("summary")} className="flex flex-wrap gap-2" data-testid="state-summary">
      <Link
        href={allHref}
        prefetch={false}
        aria-current={allSelected ? "true" : undefined}
        className={`${chip} ${allSelected ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-50"}`}
      >
        {t("allStates")}
        <span className="tabular-nums font-bold">{total}</span>
      </Link>
      {chips.map(({ state, count, href, selected }) => {
        const look = STATE_LOOK[state];
        return (
          <Link
            key={state}
            href={href}
            prefetch={false}
            data-state={state}
            aria-current={selected ? "true" : undefined}
            className={`${chip} ${look.className} ${selected ? "outline-2 outline-offset-1 outline-slate-900" : "opacity-95 hover:opacity-100"}`}
          >
            <span aria-hidden="true">{look.icon}</span>
            {states(state)}
            <span className="tabular-nums font-bold">{count}</span>
          </Link>
        );
      })}
    </nav>
  );
}
