import { useFormatter, useTranslations } from "next-intl";
import { ReasonText } from "@/components/reason-text";
import { StateBadge } from "@/components/state-badge";
import type { Transition } from "@/lib/db/channel-detail";
import { channelReason } from "@/lib/format/channel-reason";
import { formatDuration } from "@/lib/format/duration";

interface Props {
  transitions: Transition[];
  now: Date;
  timeZone: string;
}

/** Newest first; each transition lasted until the next one (the newest, until now). */
export function ChannelTimeline({ transitions, now, timeZone }: Props) {
  const t = useTranslations("channel");
  const tStates = useTranslations("states");
  const format = useFormatter();
  if (transitions.length === 0) return <p className="text-sm text-slate-600">{t("timelineEmpty")}</p>;
  return (
    <ol className="divide-y divide-slate-100" data-testid="timeline">
      {transitions.map((event, i) => {
        const until = i === 0 ? now : transitions[i - 1].occurredAt;
        const duration = formatDuration(until.getTime() - event.occurredAt.getTime());
        return (
          <li key={event.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:items-start sm:gap-4">
            <time dateTime={event.occurredAt.toISOString()} className="shrink-0 text-sm tabular-nums text-slate-700 sm:w-40">
              {format.dateTime(event.occurredAt, { dateStyle: "short", timeStyle: "medium", timeZone })}
            </time>
            <div className="min-w-0 flex-1 space-y-0.5">
              <div className="flex flex-wrap items-center gap-2">
                <StateBadge state={event.toState} />
                <span className="text-xs text-slate-600">{i === 0 ? t("ongoing", { duration }) : t("lasted", { duration })}</span>
              </div>
              <p className="text-sm text-slate-800">
                <ReasonText reason={channelReason(event.toState, event.reason)} />
              </p>
              <p className="text-xs text-slate-600">
                {event.fromState && <>{t("fromState", { state: tStates(event.fromState) })} · </>}
                {t(`sources.${event.source}`)}
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
