import { useLocale, useTranslations } from "next-intl";
import { TableScroll } from "@/components/table-scroll";
import { TechnicalDetails } from "@/components/technical-details";
import type { ActionEntry } from "@/lib/db/channel-detail";
import { describeAction } from "@/lib/format/action-summary";
import { formatDateTime } from "@/lib/format/date-time";

interface Props {
  actions: ActionEntry[];
  timeZone: string;
  /** The viewer may see what the gateway literally answered (tenant admins, platform staff). */
  technical: boolean;
}

const OUTCOME: Record<ActionEntry["outcome"], { icon: string; className: string }> = {
  ok: { icon: "✓", className: "text-emerald-800" },
  failed: { icon: "✕", className: "text-red-800" },
  skipped: { icon: "–", className: "text-slate-600" },
};

/**
 * Who did what and how it went, in plain words: the monitor's own repairs and every person's action.
 * The stored detail ("restart failed: provider_down: …") is for admins, under "Detalhes técnicos".
 */
export function ChannelActionsLog({ actions, timeZone, technical }: Props) {
  const t = useTranslations("channel");
  const locale = useLocale();
  if (actions.length === 0) return <p className="text-sm text-slate-600">{t("actionsEmpty")}</p>;
  const who = (a: ActionEntry) =>
    a.trigger === "monitor" && !a.actorUserId
      ? t("monitorActor")
      : (a.actorEmail ?? t("unknownUser", { id: (a.actorUserId ?? "?").slice(0, 8) }));
  return (
    <TableScroll label={t("actionsTitle")}>
      <table className="w-full min-w-[40rem] text-left text-sm" data-testid="actions-log">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.when")}</th>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.who")}</th>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.what")}</th>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.outcome")}</th>
            <th scope="col" className="py-2 font-semibold">{t("columns.happened")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {actions.map((a) => {
            const summary = describeAction(a);
            return (
              <tr key={a.id} className="align-top">
                <td className="whitespace-nowrap py-2 pr-3 tabular-nums">
                  <time dateTime={a.requestedAt.toISOString()}>{formatDateTime(a.requestedAt, locale, timeZone)}</time>
                </td>
                <td className="py-2 pr-3 break-all">{who(a)}</td>
                <td className="py-2 pr-3">{t(`kinds.${a.kind}`)}</td>
                <td className={`whitespace-nowrap py-2 pr-3 font-medium ${OUTCOME[a.outcome].className}`}>
                  <span aria-hidden="true">{OUTCOME[a.outcome].icon} </span>
                  {t(`outcomes.${a.outcome}`)}
                </td>
                <td className="py-2 text-slate-800">
                  {summary ? t(`actionSummary.${summary}`) : <span className="text-slate-500">—</span>}
                  {technical && (
                    <TechnicalDetails className="mt-1" items={[
                      [t("technicalFields.stored"), a.detail],
                      [t("technicalFields.at"), a.requestedAt.toISOString()],
                    ]} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
