import Link from "next/link";
import { useTranslations } from "next-intl";
import styles from "@/components/channel-row.module.css";
import { DayStrip } from "@/components/day-strip";
import { StateBadge } from "@/components/state-badge";
import type { UptimeTone } from "@/lib/format/uptime";
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
  /** 2 s or more (lib/format/latency.ts): marked with an icon and colour. */
  latencySlow?: boolean;
  /** 24 h, 7 d and 30 d (WINDOWS), each as [figure, tone]: pairs, not objects, as 50 rows travel twice (HTML and props). */
  uptime: [string, UptimeTone][];
  /** One character per day, oldest first (lib/format/day-strip.ts). */
  strip: string;
}

/** The uptime windows' labels, in the order of `uptime`. */
export const WINDOWS = ["24 h", "7 d", "30 d"] as const;

function When({ moment }: { moment: Moment }) {
  if (!moment.iso) return <span>{moment.text}</span>;
  return <time dateTime={moment.iso} title={moment.title}>{moment.text}</time>;
}

export function ChannelRow({ row }: { row: ChannelListRow }) {
  const t = useTranslations("channelList");
  return (
    <li data-channel-id={row.id} data-state={row.state} className={`${styles.columns} ${styles.row}`}>
      <div className="min-w-0">
        <Link href={`/channels/${row.id}`} className={styles.name}>{row.name}</Link>
        <p className={styles.phone}>{row.phone ?? t("noPhone")}</p>
        {row.reason && <p className={styles.reason} title={row.reasonDetail ?? undefined} data-testid="channel-reason">{row.reason}</p>}
      </div>
      <div className={styles.state}>
        <StateBadge state={row.state} />
        <p className={styles.since}><When moment={row.since} /></p>
      </div>
      <dl className={styles.metrics}>
        {row.uptime.map(([value, tone], i) => (
          <div key={WINDOWS[i]}>
            <dt>{WINDOWS[i]}</dt>
            <dd className={styles[tone]}>{value}</dd>
          </div>
        ))}
        <div>
          <dt>{t("latency")}</dt>
          <dd className={row.latencySlow ? styles.slow : undefined} data-slow={row.latencySlow || undefined}>
            {row.latencySlow && <span aria-hidden="true">⚠ </span>}{row.latency}
          </dd>
        </div>
      </dl>
      <div className={styles.history}>
        <DayStrip code={row.strip} />
        <p className={styles.foot}>
          <span>{t("last90")}</span>
          <When moment={row.lastChecked} />
        </p>
      </div>
    </li>
  );
}
