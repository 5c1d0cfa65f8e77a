import { useFormatter, useLocale, useTranslations } from "next-intl";
import { ReasonText } from "@/components/reason-text";
import { StateBadge } from "@/components/state-badge";
import { TechnicalDetails } from "@/components/technical-details";
import type { Transition } from "@/lib/db/channel-detail";
import { channelReason } from "@/lib/format/channel-reason";
import { formatDateTime } from "@/lib/format/date-time";
import { formatDuration } from "@/lib/format/duration";
import { collapseFlaps, type TimelineEntry } from "@/lib/format/timeline";

interface Props {
  transitions: Transition[];
  now: Date;
  timeZone: string;
  /** The viewer may see stored reasons and sources (tenant admins, platform staff). */
  technical: boolean;
  /** At most this many entries (after flaps are folded). */
  limit?: number;
}

const time = "shrink-0 text-sm tabular-nums text-slate-700 sm:w-44";

/**
 * Newest first; each state lasted until the next one (the newest, until now). Bursts of states that
 * each lasted under a minute read as one "Instável" entry (lib/format/timeline.ts), their changes one
 * click away.
 */
export function ChannelTimeline({ transitions, now, timeZone, technical, limit = 50 }: Props) {
  const t = useTranslations("channel");
  const locale = useLocale();
  if (transitions.length === 0) return <p className="text-sm text-slate-600">{t("timelineEmpty")}</p>;
  const entries = collapseFlaps(transitions, now).slice(0, limit);
  return (
    <ol className="divide-y divide-slate-100" data-testid="timeline">
      {entries.map((entry) =>
        entry.kind === "unstable" ? (
          <UnstableEntry key={`u-${entry.events[0].id}`} entry={entry} locale={locale} timeZone={timeZone} technical={technical} />
        ) : (
          <li key={entry.event.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:items-start sm:gap-4" data-testid="timeline-entry">
            <time dateTime={entry.event.occurredAt.toISOString()} className={time}>
              {formatDateTime(entry.event.occurredAt, locale, timeZone)}
            </time>
            <TransitionBody entry={entry} technical={technical} />
          </li>
        ),
      )}
    </ol>
  );
}

function TransitionBody({ entry, technical }: { entry: Extract<TimelineEntry<Transition>, { kind: "transition" }>; technical: boolean }) {
  const t = useTranslations("channel");
  const tStates = useTranslations("states");
  const { event, durationMs, ongoing } = entry;
  const duration = formatDuration(durationMs);
  const reason = channelReason(event.toState, event.reason);
  return (
    <div className="min-w-0 flex-1 space-y-0.5">
      <div className="flex flex-wrap items-center gap-2">
        <StateBadge state={event.toState} />
        <span className="text-xs text-slate-600">
          {ongoing ? t("ongoing", { duration }) : durationMs < 1_000 ? t("lastedInstant") : t("lasted", { duration })}
        </span>
      </div>
      <p className="text-sm text-slate-800"><ReasonText reason={reason} /></p>
      {event.fromState && <p className="text-xs text-slate-600">{t("fromState", { state: tStates(event.fromState) })}</p>}
      {technical && (
        <TechnicalDetails items={[
          [t("technicalFields.source"), t(`sources.${event.source}`)],
          [t("technicalFields.stored"), event.reason],
          [t("technicalFields.at"), event.occurredAt.toISOString()],
        ]} />
      )}
    </div>
  );
}

function UnstableEntry({ entry, locale, timeZone, technical }: {
  entry: Extract<TimelineEntry<Transition>, { kind: "unstable" }>;
  locale: string;
  timeZone: string;
  technical: boolean;
}) {
  const t = useTranslations("channel");
  const tStates = useTranslations("states");
  const format = useFormatter();
  const spanMs = entry.to.getTime() - entry.from.getTime();
  const span = spanMs < 1_000 ? t("underASecond") : formatDuration(spanMs);
  const oldestFirst = [...entry.events].reverse();
  const sources = [...new Set(oldestFirst.map((event) => t(`sources.${event.source}`)))];
  return (
    <li className="flex flex-col gap-1 py-2 sm:flex-row sm:items-start sm:gap-4" data-testid="timeline-unstable" data-count={entry.events.length}>
      <time dateTime={entry.from.toISOString()} className={time}>{formatDateTime(entry.from, locale, timeZone)}</time>
      <div className="min-w-0 flex-1 space-y-0.5">
        <div className="flex flex-wrap items-center gap-2">
          <span className="inline-flex items-center gap-1.5 rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-inset ring-amber-600/30">
            <span aria-hidden="true">↯</span>{t("unstable")}
          </span>
          <span className="text-xs text-slate-600">{t("unstableSummary", { count: entry.events.length, span })}</span>
        </div>
        <p className="text-sm text-slate-800">
          {t("unstableStates", { states: format.list(entry.states.map((state) => tStates(state)), { type: "conjunction" }) })}
        </p>
        <details className="text-xs text-slate-700">
          <summary className="w-fit cursor-pointer font-medium">{t("unstableList", { count: entry.events.length })}</summary>
          <ol className="mt-1 space-y-1">
            {oldestFirst.map((event) => (
              <li key={event.id} className="flex flex-wrap items-center gap-2">
                <span className="w-14 tabular-nums text-slate-600">+{formatDuration(event.occurredAt.getTime() - entry.from.getTime())}</span>
                <StateBadge state={event.toState} />
                <ReasonText reason={channelReason(event.toState, event.reason)} />
              </li>
            ))}
          </ol>
        </details>
        {technical && (
          <TechnicalDetails items={[
            [t("technicalFields.source"), sources.join(", ")],
            [t("technicalFields.at"), `${entry.from.toISOString()} – ${entry.to.toISOString()}`],
          ]} />
        )}
      </div>
    </li>
  );
}
