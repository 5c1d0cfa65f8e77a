import { useTranslations } from "next-intl";
import type { ChannelState } from "@/lib/monitor/states";

/**
 * Colour, icon and words together: the state is never told by colour alone. The colours are the
 * Okabe–Ito set in app/globals.css (--state-*), one per state, told apart with colour-blindness too; the
 * two states that need nobody's attention (paused, unknown) are neutral.
 */
export const STATE_LOOK: Record<ChannelState, { icon: string; className: string }> = {
  connected: { icon: "●", className: "bg-(--state-connected) text-(--state-connected-ink) ring-black/15" },
  connecting: { icon: "◐", className: "bg-(--state-connecting) text-(--state-connecting-ink) ring-black/15" },
  disconnected: { icon: "✕", className: "bg-(--state-disconnected) text-(--state-disconnected-ink) ring-black/15" },
  needs_qr: { icon: "▦", className: "bg-(--state-needs-qr) text-(--state-needs-qr-ink) ring-black/15" },
  replaced: { icon: "⇄", className: "bg-(--state-replaced) text-(--state-replaced-ink) ring-black/15" },
  provider_down: { icon: "▲", className: "bg-(--state-provider-down) text-(--state-provider-down-ink) ring-black/15" },
  misconfigured: { icon: "⚙", className: "bg-(--state-misconfigured) text-(--state-misconfigured-ink) ring-black/15" },
  blocked: { icon: "⛔", className: "bg-(--state-blocked) text-(--state-blocked-ink) ring-black/15" },
  // Still serving, at risk: a warning, told apart from connecting by its icon and words.
  restricted: { icon: "◭", className: "bg-amber-100 text-amber-950 ring-amber-600/50" },
  paused: { icon: "❚❚", className: "bg-slate-200 text-slate-800 ring-slate-500/40" },
  unknown: { icon: "?", className: "bg-white text-slate-700 ring-slate-400" },
};

/** An incident can also be `blocked` (Cloud API), a state channels do not have yet. */
export const BLOCKED_LOOK = { icon: "⛔", className: "bg-(--state-blocked) text-(--state-blocked-ink) ring-black/15" };

export function StateBadge({ state }: { state: ChannelState }) {
  const t = useTranslations("states");
  const look = STATE_LOOK[state];
  return (
    <span
      data-state={state}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${look.className}`}
    >
      <span aria-hidden="true">{look.icon}</span>
      {t(state)}
    </span>
  );
}
