import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { AutoRefresh } from "@/components/auto-refresh";
import { ChannelList, type ChannelListRow } from "@/components/channel-list";
import { listChannelHealth, worstFirst } from "@/lib/db/channel-health";
import { withUser } from "@/lib/db/sessions";
import { dayColor, formatPercent, lastDays, localToday, uptimeRatio } from "@/lib/format/uptime";
import { requireActiveTenant } from "@/lib/tenancy/current-viewer";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("channels");
  return { title: t("title") };
}

export default async function ChannelsPage() {
  const { claims, tenant } = await requireActiveTenant();
  const now = new Date();
  const rows = await withUser(claims, (tx) => listChannelHealth(tx, tenant.id, now, tenant.timezone));
  const t = await getTranslations();
  const format = await getFormatter();
  const locale = await getLocale();
  const today = localToday(now, tenant.timezone);
  const noData = t("channels.noData");

  const list: ChannelListRow[] = worstFirst(rows).map((row) => ({
    id: row.id,
    name: row.displayName,
    phone: row.phoneNumber,
    state: row.state,
    stateLabel: t(`states.${row.state}`),
    reason: row.reason,
    since: t("channels.since", { time: format.relativeTime(row.since, now) }),
    lastChecked: row.lastCheckedAt
      ? t("channels.lastChecked", { time: format.relativeTime(row.lastCheckedAt, now) })
      : t("channels.neverChecked"),
    latency: row.latencyMs === null ? "—" : `${row.latencyMs} ms`,
    uptime: [row.uptime24h, row.uptime7d, row.uptime30d].map((w) => formatPercent(uptimeRatio(w), locale, noData)),
    strip: lastDays(row.daily, today).map(({ day, data }) => ({ day, color: dayColor(data) })),
  }));

  return (
    <section aria-labelledby="channels-title" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 id="channels-title" className="text-2xl font-bold">{t("channels.title")}</h1>
          <p className="text-sm text-slate-600">
            {tenant.name} · {t("channels.count", { count: rows.length })}
          </p>
        </div>
        <AutoRefresh intervalMs={15_000} renderedAt={now.toISOString()} />
      </div>
      {list.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600">{t("channels.empty")}</p>
      ) : (
        <ChannelList rows={list} />
      )}
    </section>
  );
}
