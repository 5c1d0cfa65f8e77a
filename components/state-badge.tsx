import { useTranslations } from "next-intl";
import type { ChannelState } from "@/lib/monitor/states";

/** Colour, icon and words together: the state is never told by colour alone. */
export const STATE_LOOK: Record<ChannelState, { icon: string; className: string }> = {
  connected: { icon: "●", className: "bg-emerald-100 text-emerald-900 ring-emerald-600/30" },
  connecting: { icon: "◐", className: "bg-amber-100 text-amber-900 ring-amber-600/30" },
  disconnected: { icon: "✕", className: "bg-red-100 text-red-900 ring-red-600/30" },
  needs_qr: { icon: "▦", className: "bg-red-100 text-red-900 ring-red-600/30" },
  replaced: { icon: "⇄", className: "bg-red-100 text-red-900 ring-red-600/30" },
  provider_down: { icon: "▲", className: "bg-orange-100 text-orange-900 ring-orange-600/30" },
  misconfigured: { icon: "⚙", className: "bg-fuchsia-100 text-fuchsia-900 ring-fuchsia-600/30" },
  paused: { icon: "❚❚", className: "bg-slate-200 text-slate-800 ring-slate-500/30" },
  unknown: { icon: "?", className: "bg-slate-100 text-slate-700 ring-slate-400/30" },
};

export function StateBadge({ state }: { state: ChannelState }) {
  const t = useTranslations("states");
  const look = STATE_LOOK[state];
  return (
    <span
      data-state={state}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${look.className}`}
    >
      <span aria-hidden="true">{look.icon}</span>
      {t(state)}
    </span>
  );
}
