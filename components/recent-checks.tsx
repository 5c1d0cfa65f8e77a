import { useLocale, useTranslations } from "next-intl";
import { LatencyValue } from "@/components/latency-value";
import { ReasonText } from "@/components/reason-text";
import { StateBadge } from "@/components/state-badge";
import { TableScroll } from "@/components/table-scroll";
import { TechnicalDetails } from "@/components/technical-details";
import type { CheckEntry } from "@/lib/db/channel-detail";
import { describeCheck } from "@/lib/format/check-summary";
import { formatDateTime } from "@/lib/format/date-time";
import { checkLatency } from "@/lib/format/latency";

interface Props {
  checks: CheckEntry[];
  timeZone: string;
  /** The viewer may see the gateway's own words (tenant admins, platform staff). */
  technical: boolean;
}

/**
 * The checks behind the state, newest first, each in plain words. A response time only where the
 * gateway answered for the session; what it literally said is for admins, under "Detalhes técnicos".
 */
export function RecentChecks({ checks, timeZone, technical }: Props) {
  const t = useTranslations("channel");
  const locale = useLocale();
  if (checks.length === 0) return <p className="text-sm text-slate-600">{t("checksEmpty")}</p>;
  return (
    <TableScroll label={t("checksTitle")}>
      <table className="w-full min-w-[36rem] text-left text-sm" data-testid="recent-checks">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.when")}</th>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.state")}</th>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.happened")}</th>
            <th scope="col" className="py-2 text-right font-semibold">{t("columns.responseTime")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {checks.map((c) => {
            const latency = checkLatency(c);
            return (
              <tr key={c.id} className="align-top">
                <td className="whitespace-nowrap py-2 pr-3 tabular-nums">
                  <time dateTime={c.checkedAt.toISOString()}>{formatDateTime(c.checkedAt, locale, timeZone)}</time>
                </td>
                <td className="py-2 pr-3"><StateBadge state={c.state} /></td>
                <td className="py-2 pr-3 text-slate-800">
                  <ReasonText reason={describeCheck(c)} />
                  {technical && (
                    <TechnicalDetails className="mt-1" items={[
                      [t("technicalFields.gateway"), c.gatewayState && `${c.gatewayState}${c.reasonCode === null ? "" : ` (${c.reasonCode})`}`],
                      [t("technicalFields.error"), c.errorCode],
                      [t("technicalFields.latency"), latency === null && c.latencyMs !== null ? `${c.latencyMs} ms` : null],
                      [t("technicalFields.stored"), c.detail],
                      [t("technicalFields.at"), c.checkedAt.toISOString()],
                    ]} />
                  )}
                </td>
                <td className="whitespace-nowrap py-2 text-right"><LatencyValue ms={latency} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
