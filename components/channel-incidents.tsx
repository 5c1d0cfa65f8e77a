import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { IncidentStateBadge } from "@/components/incident-state-badge";
import { TableScroll } from "@/components/table-scroll";
import type { ChannelIncidentRow, SentAlertRow } from "@/lib/db/incidents";
import { formatDateTime } from "@/lib/format/date-time";
import { formatDuration } from "@/lib/format/duration";

interface Props {
  channelId: string;
  incidents: ChannelIncidentRow[];
  alerts: SentAlertRow[];
  now: Date;
  timeZone: string;
}

/** The channel page's incidents (its own time in each, with durations) and what was sent to whom and when. */
export function ChannelIncidents({ channelId, incidents, alerts, now, timeZone }: Props) {
  const t = useTranslations("incidents");
  const locale = useLocale();
  const when = (at: Date) => formatDateTime(at, locale, timeZone);
  return (
    <div className="space-y-4">
      {incidents.length === 0 ? (
        <p className="text-sm text-slate-600">{t("channelNone")}</p>
      ) : (
        <ol className="divide-y divide-slate-100" data-testid="channel-incidents">
          {incidents.map((incident) => {
            const end = incident.leftAt ?? incident.resolvedAt;
            const duration = formatDuration((end ?? now).getTime() - incident.joinedAt.getTime());
            return (
              <li key={incident.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:items-center sm:gap-4" data-open={end === null}>
                <time dateTime={incident.joinedAt.toISOString()} className="shrink-0 text-sm tabular-nums text-slate-700 sm:w-40">
                  {when(incident.joinedAt)}
                </time>
                <div className="flex flex-1 flex-wrap items-center gap-2 text-sm">
                  <IncidentStateBadge state={incident.state} />
                  <span className="text-slate-800">{end === null ? t("ongoing", { duration }) : t("lasted", { duration })}</span>
                  {incident.kind === "gateway" && <span className="text-xs text-slate-600">{t("viaGateway", { count: incident.channelCount })}</span>}
                  {incident.acknowledgedAt && <span className="text-xs text-slate-600">{t("acknowledged")}</span>}
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <div>
        <h3 className="text-sm font-semibold text-slate-900">{t("sentTitle")}</h3>
        {alerts.length === 0 ? (
          <p className="text-sm text-slate-600">{t("sentNone")}</p>
        ) : (
          <TableScroll label={t("sentTitle")} className="mt-1">
          <table className="w-full min-w-[30rem] text-left text-sm" data-testid="channel-alerts">
            <thead className="text-xs text-slate-600">
              <tr><th className="py-1 font-medium">{t("sentWhen")}</th><th className="font-medium">{t("sentTo")}</th><th className="font-medium">{t("sentWhat")}</th><th className="font-medium">{t("sentStatus")}</th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {alerts.map((alert) => (
                <tr key={alert.id}>
                  <td className="py-1 tabular-nums">
                    <time dateTime={(alert.sentAt ?? alert.createdAt).toISOString()}>{when(alert.sentAt ?? alert.createdAt)}</time>
                  </td>
                  <td>{alert.contactName} <span className="text-xs text-slate-600">({t(`contactKinds.${alert.contactKind}`)})</span></td>
                  <td>{alert.kind === "reminder" ? t("messageKinds.reminderN", { n: alert.seq }) : t(`messageKinds.${alert.kind}`)}</td>
                  <td>{t(`deliveryStatus.${alert.status}`)}{alert.status !== "sent" && alert.attempts > 0 && <span className="text-xs text-slate-600"> · {t("attempts", { count: alert.attempts })}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableScroll>
        )}
      </div>
      <Link href={`/incidents?channel=${channelId}&period=90d`} className="text-sm font-medium text-brand-700 hover:underline">
        {t("allForChannel")}
      </Link>
    </div>
  );
}
