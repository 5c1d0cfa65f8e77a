import { useTranslations } from "next-intl";
import { BLOCKED_LOOK, StateBadge } from "@/components/state-badge";
import type { AlertingState } from "@/lib/incidents/incident-states";
import { isChannelState } from "@/lib/monitor/states";

/** An incident's state as the channel badges show it; a state the badges do not know yet (blocked) in words. */
export function IncidentStateBadge({ state }: { state: AlertingState }) {
  const t = useTranslations("incidents");
  if (isChannelState(state)) return <StateBadge state={state} />;
  return (
    <span data-state={state} className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${BLOCKED_LOOK.className}`}>
      <span aria-hidden="true">{BLOCKED_LOOK.icon}</span>
      {t("stateBlocked")}
    </span>
  );
}
