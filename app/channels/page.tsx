import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { AutoRefresh } from "@/components/auto-refresh";
import { ChannelList, type ChannelListRow } from "@/components/channel-list";
import { FlashToast } from "@/components/flash-toast";
import { listChannelHealth, worstFirst, type ChannelHealth } from "@/lib/db/channel-health";
import { withUser } from "@/lib/db/sessions";
import { encodeStrip } from "@/lib/format/day-strip";
import { describeReason } from "@/lib/format/reason";
import { dayColor, formatPercent, lastDays, localToday, uptimeRatio, uptimeTone } from "@/lib/format/uptime";
import { requireActiveTenant } from "@/lib/tenancy/current-viewer";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("channels");
  return { title: t("title") };
}

type Translate = Awaited<ReturnType<typeof getTranslations>>;
type Format = Awaited<ReturnType<typeof getFormatter>>;

function reasonText(t: Translate, row: ChannelHealth): { reason: string | null; detail: string | null } {
  const message = describeReason(row.state, row.reason);
  if (!message) return { reason: null, detail: null };
  if ("raw" in message) return { reason: message.raw, detail: null };
  return { reason: t(`reasons.${message.key}`, message.values), detail: message.detail ?? null };
}

function toRow(row: ChannelHealth, ctx: { t: Translate; format: Format; now: Date; timezone: string; days: string[]; locale: string }): ChannelListRow {
  const { t, format, now, timezone } = ctx;
  const exact = (at: Date) => format.dateTime(at, { dateStyle: "medium", timeStyle: "short", timeZone: timezone });
  const windows: [string, ChannelHealth["uptime24h"]][] = [["24 h", row.uptime24h], ["7 d", row.uptime7d], ["30 d", row.uptime30d]];
  const { reason, detail } = reasonText(t, row);
  const byDay = new Map(row.daily.map((day) => [day.day, day]));
  return {
    id: row.id,
    name: row.displayName,
    phone: row.phoneNumber,
    state: row.state,
    reason,
    reasonDetail: detail,
    since: { text: t("channels.since", { time: format.relativeTime(row.since, now) }), title: exact(row.since), iso: row.since.toISOString() },
    lastChecked: row.lastCheckedAt
      ? { text: t("channels.lastChecked", { time: format.relativeTime(row.lastCheckedAt, now) }), title: exact(row.lastCheckedAt), iso: row.lastCheckedAt.toISOString() }
      : { text: t("channels.neverChecked") },
    latency: row.latencyMs === null ? "—" : `${format.number(row.latencyMs)} ms`,
    uptime: windows.map(([label, window]) => {
      const ratio = uptimeRatio(window);
      return { label, value: formatPercent(ratio, ctx.locale, t("channels.noData")), tone: uptimeTone(ratio) };
    }),
    strip: encodeStrip(ctx.days.map((day) => dayColor(byDay.get(day)))),
  };
}

export default async function ChannelsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { removido } = await searchParams;
  const { claims, tenant } = await requireActiveTenant();
  const now = new Date();
  const rows = await withUser(claims, (tx) => listChannelHealth(tx, tenant.id, now, tenant.timezone));
  const t = await getTranslations();
  const format = await getFormatter();
  const ctx = { t, format, now, timezone: tenant.timezone, days: lastDays([], localToday(now, tenant.timezone)).map(({ day }) => day), locale: await getLocale() };
  const list = worstFirst(rows).map((row) => toRow(row, ctx));

  return (
    <section aria-labelledby="channels-title" className="space-y-4">
      {removido === "1" && <FlashToast param="removido" text={t("channels.removed")} dismissLabel={t("channels.dismissToast")} />}
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 id="channels-title" className="text-2xl font-bold">{t("channels.title")}</h1>
          <p className="text-sm text-slate-600">
            {tenant.name} · {t("channels.count", { count: rows.length })} · {t("channels.timezone", { timezone: tenant.timezone })}
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          {tenant.role === "admin" && (
            <div className="flex flex-wrap gap-2">
              <Link href="/channels/import" data-testid="import-channels" className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">
                {t("import.link")}
              </Link>
              <Link href="/channels/new" data-testid="add-channel" className="rounded-lg bg-brand-700 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-900">
                + {t("channels.add")}
              </Link>
            </div>
          )}
          <AutoRefresh intervalMs={15_000} renderedAt={now.toISOString()} watchUrl={`/api/channels/changes?tenant=${tenant.id}`} />
        </div>
      </div>
      {list.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600">{t("channels.empty")}</p>
      ) : (
        <ChannelList rows={list} />
      )}
    </section>
  );
}
