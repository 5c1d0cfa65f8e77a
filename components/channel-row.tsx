import Link from "next/link";
import { useTranslations } from "next-intl";
import { DayStrip } from "@/components/day-strip";
import { StateBadge } from "@/components/state-badge";
import type { UptimeTone as Tone } from "@/lib/format/uptime";
import type { ChannelState } from "@/lib/monitor/states";

/** A moment shown relative ("há 3 min"), with the exact time in the tenant's timezone on hover. */
export interface Moment {
  text: string;
  title?: string;
  iso?: string;
}

/** One channel on /channels, every text already formatted on the server. */
export interface ChannelListRow {
  id: string;
  name: string;
  phone: string | null;
  state: ChannelState;
  reason: string | null;
  /** The stored words behind a translated reason, for whoever debugs it. */
  reasonDetail: string | null;
  since: Moment;
  lastChecked: Moment;
  latency: string;
  /** 24 h, 7 d and 30 d. */
  uptime: { label: string; value: string; tone: Tone }[];
  strip: string;
  stripFirstDay: string;
}

const TONE: Record<Tone, string> = {
  good: "text-emerald-800",
  warn: "text-amber-800",
  bad: "text-red-700",
  none: "text-xs font-normal text-slate-500",
};

/** Columns shared by the rows and the desktop header above them. */
export const ROW_GRID =
  "grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 gap-y-3 lg:grid-cols-[minmax(0,1fr)_10.5rem_17rem_minmax(0,15rem)] lg:items-center lg:gap-x-5";

function When({ moment, className }: { moment: Moment; className?: string }) {
  if (!moment.iso) return <span className={className}>{moment.text}</span>;
  return <time dateTime={moment.iso} title={moment.title} className={className}>{moment.text}</time>;
}

export function ChannelRow({ row }: { row: ChannelListRow }) {
  const t = useTranslations("channelList");
  return (
    <li data-channel-id={row.id} data-state={row.state} className={`${ROW_GRID} rounded-xl border border-slate-200 bg-white p-4 shadow-sm`}>
      <div className="min-w-0">
        <Link href={`/channels/${row.id}`} className="block truncate font-semibold text-slate-900 underline-offset-2 hover:underline">
          {row.name}
        </Link>
        <p className="text-sm tabular-nums text-slate-600">{row.phone ?? t("noPhone")}</p>
        {row.reason && (
          <p className="mt-1 text-sm text-slate-800" title={row.reasonDetail ?? undefined} data-testid="channel-reason">
            {row.reason}
          </p>
        )}
      </div>
      <div className="text-right lg:text-left">
        <StateBadge state={row.state} />
        <p className="mt-1 text-xs text-slate-600"><When moment={row.since} /></p>
      </div>
      <dl className="col-span-2 grid grid-cols-4 gap-2 rounded-lg bg-slate-50 px-3 py-2 text-center lg:col-span-1 lg:bg-transparent lg:p-0">
        {row.uptime.map((window) => (
          <div key={window.label}>
            <dt className="text-[11px] uppercase tracking-wide text-slate-500 lg:sr-only">{window.label}</dt>
            <dd className={`whitespace-nowrap text-sm font-semibold tabular-nums ${TONE[window.tone]}`}>{window.value}</dd>
          </div>
        ))}
        <div>
          <dt className="text-[11px] uppercase tracking-wide text-slate-500 lg:sr-only">{t("latency")}</dt>
          <dd className="text-sm font-semibold tabular-nums text-slate-900">{row.latency}</dd>
        </div>
      </dl>
      <div className="col-span-2 lg:col-span-1">
        <DayStrip code={row.strip} firstDay={row.stripFirstDay} />
        <p className="mt-1 flex justify-between gap-2 text-xs text-slate-600">
          <span className="lg:sr-only">{t("last90")}</span>
          <When moment={row.lastChecked} />
        </p>
      </div>
    </li>
  );
}
