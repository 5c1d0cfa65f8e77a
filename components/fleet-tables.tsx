import Link from "next/link";
import { useTranslations } from "next-intl";
import type { Moment } from "@/components/channel-row";
import { StateBadge } from "@/components/state-badge";
import { TableScroll } from "@/components/table-scroll";
import type { UptimeTone } from "@/lib/format/uptime";
import type { PassProgress } from "@/lib/monitor/run-liveness";
import type { ChannelState } from "@/lib/monitor/states";

/** Presentational tables for /admin; every text arrives formatted. */

const TABLE = "w-full border-collapse text-left text-sm";
/** Wide tables scroll sideways on a phone rather than squeezing every column. */
const WIDE = "min-w-[36rem]";
const TH = "border-b border-slate-200 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500";
const TD = "border-b border-slate-100 px-3 py-2 align-top";
const TONE: Record<UptimeTone, string> = { good: "text-emerald-800", warn: "text-amber-800", bad: "text-red-700", none: "text-xs font-normal text-slate-500" };

function Scroll({ label, children }: { label: string; children: React.ReactNode }) {
  return <TableScroll label={label} className="rounded-xl border border-slate-200 bg-white shadow-sm">{children}</TableScroll>;
}

function When({ moment }: { moment: Moment }) {
  return moment.iso ? <time dateTime={moment.iso} title={moment.title}>{moment.text}</time> : <>{moment.text}</>;
}

export interface TenantStatesRow {
  tenantId: string;
  name: string;
  total: number;
  counts: Partial<Record<ChannelState, number>>;
}

export function TenantStatesTable({ rows, states, caption }: { rows: TenantStatesRow[]; states: ChannelState[]; caption: string }) {
  const t = useTranslations("admin");
  const label = useTranslations("states");
  return (
    <Scroll label={caption}>
      <table className={`${TABLE} ${WIDE}`} data-testid="tenant-states">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={TH}>{t("tenant")}</th>
            {states.map((state) => <th key={state} scope="col" className={`${TH} text-right`}>{label(state)}</th>)}
            <th scope="col" className={`${TH} text-right`}>{t("total")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.tenantId}>
              <th scope="row" className={`${TD} font-medium`}>{row.name}</th>
              {states.map((state) => (
                <td key={state} className={`${TD} text-right tabular-nums ${row.counts[state] ? "text-slate-900" : "text-slate-400"}`}>
                  {row.counts[state] ?? 0}
                </td>
              ))}
              <td className={`${TD} text-right font-semibold tabular-nums`}>{row.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export interface WorstChannelRow {
  id: string;
  name: string;
  tenant: string;
  state: ChannelState;
  reason: string | null;
  /** Already labelled ("Monitor error: …"); the channel keeps its state. */
  monitorError?: string | null;
  since: Moment;
  uptime7d: { value: string; tone: UptimeTone };
}

export function WorstChannelsTable({ rows, caption }: { rows: WorstChannelRow[]; caption: string }) {
  const t = useTranslations("admin");
  return (
    <Scroll label={caption}>
      <table className={`${TABLE} ${WIDE}`} data-testid="worst-channels">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={TH}>{t("channel")}</th>
            <th scope="col" className={TH}>{t("state")}</th>
            <th scope="col" className={`${TH} text-right`}>{t("uptime7d")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-channel-id={row.id}>
              <td className={TD}>
                <Link href={`/channels/${row.id}`} className="font-medium text-slate-900 underline-offset-2 hover:underline">{row.name}</Link>
                <p className="text-xs text-slate-600">{row.tenant}</p>
              </td>
              <td className={TD}>
                <StateBadge state={row.state} />
                <p className="mt-1 text-xs text-slate-600"><When moment={row.since} /></p>
                {row.reason && <p className="text-xs text-slate-800">{row.reason}</p>}
                {row.monitorError && <p className="text-xs font-medium text-red-700">{row.monitorError}</p>}
              </td>
              <td className={`${TD} text-right font-semibold tabular-nums ${TONE[row.uptime7d.tone]}`}>{row.uptime7d.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export interface PassRow {
  id: string;
  trigger: string;
  started: Moment;
  duration: string;
  checked: number;
  failed: number;
  remaining: number;
  error: string | null;
  /** Running only while it beats; a stalled pass is one that died before finishing. */
  progress: PassProgress;
  /** Already labelled: the pass's incident step failed. */
  incidentsError: string | null;
}

export function PassesTable({ rows, caption }: { rows: PassRow[]; caption: string }) {
  const t = useTranslations("admin");
  const num = `${TD} text-right tabular-nums`;
  return (
    <Scroll label={caption}>
      <table className={`${TABLE} ${WIDE}`} data-testid="monitor-passes">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className={TH}>{t("started")}</th>
            <th scope="col" className={TH}>{t("trigger")}</th>
            <th scope="col" className={`${TH} text-right`}>{t("duration")}</th>
            <th scope="col" className={`${TH} text-right`}>{t("checked")}</th>
            <th scope="col" className={`${TH} text-right`}>{t("failed")}</th>
            <th scope="col" className={`${TH} text-right`}>{t("remaining")}</th>
            <th scope="col" className={TH}>{t("error")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-progress={row.progress} className={row.error || row.incidentsError ? "bg-red-50" : undefined}>
              <td className={`${TD} whitespace-nowrap tabular-nums`}><When moment={row.started} /></td>
              <td className={TD}>{row.trigger}</td>
              <td className={`${num} ${row.progress === "stalled" ? "font-semibold text-amber-800" : ""}`}>{row.duration}</td>
              <td className={num}>{row.checked}</td>
              <td className={`${num} ${row.failed > 0 ? "font-semibold text-red-700" : ""}`}>{row.failed}</td>
              <td className={`${num} ${row.remaining > 0 ? "font-semibold text-amber-800" : ""}`}>{row.remaining}</td>
              <td className={`${TD} max-w-[18rem] break-words text-red-800`}>
                {row.error}
                {row.incidentsError && <p className={row.error ? "mt-1" : undefined}>{row.incidentsError}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}
