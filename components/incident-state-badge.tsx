import { useTranslations } from "next-intl";
import { StateBadge } from "@/components/state-badge";
import type { AlertingState } from "@/lib/incidents/incident-states";
import { isChannelState } from "@/lib/monitor/states";

/** An incident's state as the channel badges show it; a state the badges do not know yet (blocked) in words. */
export function IncidentStateBadge({ state }: { state: AlertingState }) {
  const t = useTranslations("incidents");
  if (isChannelState(state)) return <StateBadge state={state} />;
  return (
    <span data-state={state} className="inline-flex items-center gap-1.5 rounded-full bg-red-100 px-2.5 py-0.5 text-xs font-semibold text-red-900 ring-1 ring-inset ring-red-600/30">
      <span aria-hidden="true">⛔</span>
      {t("stateBlocked")}
    </span>
  );
}
