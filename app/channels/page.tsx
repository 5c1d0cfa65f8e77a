import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { AutoRefresh } from "@/components/auto-refresh";
import { ChannelList, type ChannelListRow } from "@/components/channel-list";
import { ChannelFilterForm, ChannelListHeader, Pager, type SortLinkProps } from "@/components/channel-list-controls";
import { DayStripLegend } from "@/components/day-strip";
import { FlashToast } from "@/components/flash-toast";
import { StateSummary } from "@/components/state-summary";
import {
  SORT_KEYS, STATE_GROUPS, changeQuery, channelListSearch, isFiltered, readChannelListQuery,
  sortedBy, toSearchParams, type ChannelListQuery, type SortKey, type StateGroup,
} from "@/lib/channels/channel-list-query";
import { reasonDescriber } from "@/lib/channels/describe-reason";
import { PAGE_SIZE, selectChannels } from "@/lib/channels/select-channels";
import { NO_WINDOWS, listChannels, listDailyUptimes, listUptimeWindows, type ChannelSummary, type DailyUptime } from "@/lib/db/channel-health";
import { withUser } from "@/lib/db/sessions";
import { formatDateTime, formatMoment, formatRelative } from "@/lib/format/date-time";
import { encodeStrip } from "@/lib/format/day-strip";
import { channelLatency, formatLatency, isSlow } from "@/lib/format/latency";
import { dayColor, formatPercent, lastDays, localToday, uptimeRatio, uptimeTone } from "@/lib/format/uptime";
import { CHANNEL_STATES } from "@/lib/monitor/states";
import { requireActiveTenant } from "@/lib/tenancy/current-viewer";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("channels");
  return { title: t("title") };
}

type Translate = Awaited<ReturnType<typeof getTranslations>>;

interface RowContext { t: Translate; now: Date; timezone: string; days: string[]; locale: string; describe: ReturnType<typeof reasonDescriber> }

function toRow(row: ChannelSummary, daily: DailyUptime[], ctx: RowContext): ChannelListRow {
  const { t, now, timezone, locale } = ctx;
  const exact = (at: Date) => formatDateTime(at, locale, timezone);
  const latency = channelLatency(row.state, row.latencyMs);
  // The reason in plain words; the stored words behind it (hover text) only for admins (issue 12.3).
  const reason = ctx.describe(row.state, row.reason);
  const byDay = new Map(daily.map((day) => [day.day, day]));
  return {
    id: row.id,
    name: row.displayName,
    phone: row.phoneNumber,
    state: row.state,
    reason: reason.text,
    reasonDetail: reason.detail,
    // "desde 09:19" (today) or "desde 28/11/2026 14:00", never "desde há 3 minutos"; the relative time on hover.
    since: { text: t("channels.since", { time: formatMoment(row.since, now, locale, timezone) }), title: formatRelative(row.since, now, locale), iso: row.since.toISOString() },
    lastChecked: row.lastCheckedAt
      ? { text: t("channels.lastChecked", { time: formatRelative(row.lastCheckedAt, now, locale) }), title: exact(row.lastCheckedAt), iso: row.lastCheckedAt.toISOString() }
      : { text: t("channels.neverChecked") },
    latency: latency === null ? "—" : formatLatency(latency, locale),
    latencySlow: isSlow(latency),
    // In the order of the row's WINDOWS.
    uptime: [row.uptime24h, row.uptime7d, row.uptime30d].map((window) => {
      const ratio = uptimeRatio(window);
      return [formatPercent(ratio, locale, t("channels.noData")), uptimeTone(ratio)];
    }),
    strip: encodeStrip(ctx.days.map((day) => dayColor(byDay.get(day)))),
  };
}

const href = (query: ChannelListQuery) => `/channels${channelListSearch(query)}`;

function sortLink(query: ChannelListQuery, sort: SortKey, text: string, context?: string): SortLinkProps {
  return { text, context, href: href(sortedBy(query, sort)), dir: query.sort === sort ? query.dir : null };
}

/**
 * The tenant's channels: a count per state (all of them, whatever the filter), a filter, search and
 * order kept in the URL (lib/channels/channel-list-query.ts), and one page of PAGE_SIZE rows. Only the
 * page's channels have their uptime and 90 days read and drawn (every channel's 30 days only to sort
 * by them): a 1,000-channel tenant's first screen costs what a 50-channel one does, plus one narrow
 * row of state per channel.
 */
export default async function ChannelsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = toSearchParams(await searchParams);
  const query = readChannelListQuery(params);
  const { claims, tenant, viewer } = await requireActiveTenant();
  // Stored words and the time zone are for admins (the tenant's, platform staff), not in a viewer's way.
  const technical = tenant.role === "admin" || viewer.platformAdmin;
  const now = new Date();
  const t = await getTranslations();
  const { all, selection, windows, daily } = await withUser(claims, async (tx) => {
    const channels = await listChannels(tx, tenant.id);
    // Every channel's uptime only to sort by it; otherwise the page's channels' alone, once they are picked.
    const everyWindow = query.sort === "uptime" ? await listUptimeWindows(tx, tenant.id, channels.map((c) => c.id), now, tenant.timezone) : null;
    const picked = selectChannels(channels.map((c) => ({ ...c, uptime30d: everyWindow?.get(c.id)?.uptime30d })), query);
    const ids = picked.rows.map((row) => row.id);
    return {
      all: channels,
      selection: picked,
      windows: everyWindow ?? (await listUptimeWindows(tx, tenant.id, ids, now, tenant.timezone)),
      daily: await listDailyUptimes(tx, tenant.id, ids, now, tenant.timezone),
    };
  });
  const ctx: RowContext = {
    t, now, timezone: tenant.timezone, locale: await getLocale(), describe: reasonDescriber(t, technical),
    days: lastDays([], localToday(now, tenant.timezone)).map(({ day }) => day),
  };
  const list = selection.rows.map((row) => toRow({ ...row, ...(windows.get(row.id) ?? NO_WINDOWS) }, daily.get(row.id) ?? [], ctx));
  const shown = { ...query, page: selection.page };
  const first = (selection.page - 1) * PAGE_SIZE;
  const pageHref = (page: number) => (page >= 1 && page <= selection.pages && page !== selection.page ? href({ ...shown, page }) : null);
  const label = (key: string) => t(`channelList.${key}`);

  return (
    <section aria-labelledby="channels-title" className="space-y-4">
      {params.get("removido") === "1" && <FlashToast param="removido" text={t("channels.removed")} dismissLabel={t("channels.dismissToast")} />}
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 id="channels-title" className="text-2xl font-bold">{t("channels.title")}</h1>
          <p className="text-sm text-slate-600">
            {tenant.name} · {t("channels.count", { count: all.length })}
            {technical && <> · {t("channels.timezone", { timezone: tenant.timezone })}</>}
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <div className="flex flex-wrap gap-2">
            {all.length > 0 && (
              <a href={`/channels/export${channelListSearch(shown, { page: false })}`} download data-testid="export-channels"
                className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700">
                {label("exportCsv")}
              </a>
            )}
            {tenant.role === "admin" && (
              <>
                <Link href="/channels/import" data-testid="import-channels" className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">
                  {t("import.link")}
                </Link>
                <Link href="/channels/new" data-testid="add-channel" className="rounded-lg bg-brand-700 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-900">
                  + {t("channels.add")}
                </Link>
              </>
            )}
          </div>
          <AutoRefresh intervalMs={15_000} renderedAt={now.toISOString()} watchUrl={`/api/channels/changes?tenant=${tenant.id}`} />
        </div>
      </div>
      {all.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600">{t("channels.empty")}</p>
      ) : (
        <div className="space-y-4">
          <StateSummary
            total={all.length}
            allHref={href(changeQuery(query, { state: null }))}
            allSelected={query.state === null}
            chips={selection.counts.map(([state, count]) => ({
              state, count, selected: query.state === state, href: href(changeQuery(query, { state: query.state === state ? null : state })),
            }))}
          />
          {/* Keyed by the view: a chip, a column title or Back changes it without a reload, and the
              uncontrolled fields must show the view in force, not the one they were first drawn with. */}
          <ChannelFilterForm
            key={channelListSearch(query, { page: false })}
            q={query.q}
            state={query.state ?? ""}
            sort={query.sort}
            dir={query.dir}
            stateGroups={[
              { label: label("stateGroups"), options: (Object.keys(STATE_GROUPS) as StateGroup[]).map((group) => ({ value: group, label: label(`groups.${group}`) })) },
              {
                label: label("states"),
                options: CHANNEL_STATES.map((state) => {
                  const count = selection.counts.find(([s]) => s === state)?.[1] ?? 0;
                  return { value: state, label: `${t(`states.${state}`)} (${count})` };
                }),
              },
            ]}
            sorts={SORT_KEYS.map((sort) => ({ value: sort, label: label(`sorts.${sort}`) }))}
            dirs={(["asc", "desc"] as const).map((dir) => ({ value: dir, label: label(`dirs.${dir}`) }))}
            clearHref={isFiltered(query) ? href(changeQuery(query, { state: null, q: "" })) : null}
          />
          <p className="text-sm text-slate-700" aria-live="polite" data-testid="channel-range">
            {t("channelList.range", { from: Math.min(first + 1, selection.matched), to: first + list.length, matched: selection.matched })}
            {isFiltered(query) && <> {t("channelList.filteredFrom", { total: all.length })}</>}
          </p>
          <ChannelListHeader
            name={sortLink(query, "name", label("channel"))}
            severity={sortLink(query, "severity", label("state"))}
            change={sortLink(query, "change", label("lastChange"))}
            uptime={sortLink(query, "uptime", "30 d", t("channels.uptime"))}
          />
          <ChannelList rows={list} orderKey={channelListSearch(shown)} />
          {selection.pages > 1 && (
            <Pager
              status={t("channelList.pageOf", { page: selection.page, pages: selection.pages })}
              first={{ href: pageHref(1), text: label("first") }}
              previous={{ href: pageHref(selection.page - 1), text: label("previous") }}
              next={{ href: pageHref(selection.page + 1), text: label("next") }}
              last={{ href: pageHref(selection.pages), text: label("last") }}
            />
          )}
          <DayStripLegend />
        </div>
      )}
    </section>
  );
}
