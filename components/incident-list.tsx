import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { IncidentStateBadge } from "@/components/incident-state-badge";
import type { IncidentListRow } from "@/lib/db/incidents";
import { formatDateTime } from "@/lib/format/date-time";
import { formatDuration } from "@/lib/format/duration";

interface Props {
  rows: IncidentListRow[];
  now: Date;
  timeZone: string;
  /** Present for tenant admins: open, unacknowledged incidents get an acknowledge button. */
  acknowledge?: (data: FormData) => Promise<void>;
}

/** Open incidents first, then the most recent; each says what, since when, for how long and who acknowledged. */
export function IncidentList({ rows, now, timeZone, acknowledge }: Props) {
  const t = useTranslations("incidents");
  const tStates = useTranslations("states");
  const locale = useLocale();
  const when = (at: Date) => formatDateTime(at, locale, timeZone);
  return (
    <ul className="space-y-3" data-testid="incident-list">
      {rows.map((row) => {
        const open = row.resolvedAt === null;
        const duration = formatDuration((row.resolvedAt ?? now).getTime() - row.openedAt.getTime());
        const affected = row.channels.filter((c) => c.leftAt === null);
        return (
          <li key={row.id} data-testid="incident" data-incident-id={row.id} data-open={open}
            className={`rounded-lg border bg-white p-4 ${open ? "border-red-200" : "border-slate-200"}`}>
            <div className="flex flex-wrap items-center gap-2">
              <IncidentStateBadge state={row.state} />
              <span className="font-semibold text-slate-900">
                {row.kind === "gateway"
                  ? t("gatewayTitle", { gateway: row.gatewayName ?? "—", count: row.channels.length })
                  : (row.channels[0]?.name ?? "—")}
              </span>
              <span className={`rounded px-2 py-0.5 text-xs font-semibold ${open ? "bg-red-50 text-red-900" : "bg-emerald-50 text-emerald-900"}`}>
                {open ? t("ongoing", { duration }) : t("lasted", { duration })}
              </span>
            </div>
            <p className="mt-1 text-sm text-slate-700">
              {t("opened")} <time dateTime={row.openedAt.toISOString()}>{when(row.openedAt)}</time>
              {row.resolvedAt && <> · {t("resolved")} <time dateTime={row.resolvedAt.toISOString()}>{when(row.resolvedAt)}</time></>}
              {row.statesSeen.length > 1 && <> · {t("statesSeen", { states: row.statesSeen.map((s) => (s === "blocked" ? t("stateBlocked") : tStates(s))).join(", ") })}</>}
            </p>
            <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-sm" aria-label={t("channelsLabel")}>
              {row.channels.map((channel) => (
                <li key={channel.id}>
                  <Link href={`/channels/${channel.id}`} className={`hover:underline ${channel.leftAt ? "text-slate-500 line-through" : "text-brand-700"}`}>
                    {channel.name}
                  </Link>
                  {channel.leftAt && row.kind === "gateway" && open && <span className="sr-only"> ({t("recovered")})</span>}
                </li>
              ))}
            </ul>
            {row.kind === "gateway" && open && affected.length < row.channels.length && (
              <p className="mt-1 text-xs text-slate-600">{t("stillAffected", { count: affected.length, total: row.channels.length })}</p>
            )}
            <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
              {row.acknowledgedAt ? (
                <span className="text-slate-700" data-testid="acknowledged">
                  {t("acknowledgedBy", { who: row.acknowledgedBy ?? t("someone"), time: when(row.acknowledgedAt) })}
                </span>
              ) : open && acknowledge ? (
                <form action={acknowledge}>
                  <input type="hidden" name="incidentId" value={row.id} />
                  <button type="submit" data-testid="acknowledge" className="rounded border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50">
                    {t("acknowledge")}
                  </button>
                </form>
              ) : open ? (
                <span className="text-slate-600">{t("notAcknowledged")}</span>
              ) : null}
              {open && !row.acknowledgedAt && row.reminderCount > 0 && (
                <span className="text-xs text-slate-600">{t("reminders", { count: row.reminderCount })}</span>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
