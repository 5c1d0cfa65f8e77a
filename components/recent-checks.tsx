import { useFormatter, useTranslations } from "next-intl";
import { ReasonText } from "@/components/reason-text";
import { StateBadge } from "@/components/state-badge";
import type { CheckEntry } from "@/lib/db/channel-detail";
import { channelReason } from "@/lib/format/channel-reason";

interface Props {
  checks: CheckEntry[];
  timeZone: string;
}

/** The raw checks behind the state, newest first, as the gateway answered them. */
export function RecentChecks({ checks, timeZone }: Props) {
  const t = useTranslations("channel");
  const format = useFormatter();
  if (checks.length === 0) return <p className="text-sm text-slate-600">{t("checksEmpty")}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[44rem] text-left text-sm" data-testid="recent-checks">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.when")}</th>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.state")}</th>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.gateway")}</th>
            <th scope="col" className="py-2 pr-3 text-right font-semibold">{t("columns.latency")}</th>
            <th scope="col" className="py-2 pr-3 font-semibold">{t("columns.error")}</th>
            <th scope="col" className="py-2 font-semibold">{t("columns.detail")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {checks.map((c) => (
            <tr key={c.id} className="align-top">
              <td className="whitespace-nowrap py-2 pr-3 tabular-nums">
                <time dateTime={c.checkedAt.toISOString()}>
                  {format.dateTime(c.checkedAt, { dateStyle: "short", timeStyle: "medium", timeZone })}
                </time>
              </td>
              <td className="py-2 pr-3"><StateBadge state={c.state} /></td>
              <td className="whitespace-nowrap py-2 pr-3 font-mono text-xs">
                {c.gatewayState ?? "—"}
                {c.reasonCode !== null && ` (${c.reasonCode})`}
              </td>
              <td className="whitespace-nowrap py-2 pr-3 text-right tabular-nums">{c.latencyMs === null ? "—" : `${c.latencyMs} ms`}</td>
              <td className="py-2 pr-3 font-mono text-xs">{c.errorCode ?? "—"}</td>
              <td className="py-2 text-xs text-slate-700 break-words">
                {channelReason(c.state, c.detail) ? <ReasonText reason={channelReason(c.state, c.detail)} /> : c.detail}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
