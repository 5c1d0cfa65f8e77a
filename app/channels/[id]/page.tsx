import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { cache } from "react";
import { z } from "zod";
import { AutoRefresh } from "@/components/auto-refresh";
import { ChannelActionsLog } from "@/components/channel-actions-log";
import { ChannelIncidents } from "@/components/channel-incidents";
import { ChannelNextStep } from "@/components/channel-next-step";
import { ChannelTimeline } from "@/components/channel-timeline";
import { LatencyChart } from "@/components/latency-chart";
import { OtherTenantNotice } from "@/components/other-tenant-notice";
import { PlatformWebhookNote } from "@/components/platform-webhook-note";
import { ReasonText } from "@/components/reason-text";
import { RecentChecks } from "@/components/recent-checks";
import { LatencyValue } from "@/components/latency-value";
import { StateBadge } from "@/components/state-badge";
import { TechnicalDetails } from "@/components/technical-details";
import { UptimeChart } from "@/components/uptime-chart";
import { cloudApiWebhookView } from "@/lib/channels/cloud-api-webhook-view";
import { loadPlatformWebhook, viewDownstream } from "@/lib/channels/downstream-view";
import { decideNextStep } from "@/lib/channels/next-step";
import { channelActionDeps } from "@/lib/channels/runtime";
import { getChannelDetail, loadChannelHistory, type ChannelHistory } from "@/lib/db/channel-detail";
import { loadNextStepFacts } from "@/lib/db/channel-next-step";
import { listChannelAlerts, listChannelIncidents } from "@/lib/db/incidents";
import { withUser } from "@/lib/db/sessions";
import { latencyByHour, secondsIntoLocalDay, uptimeByDay } from "@/lib/format/channel-charts";
import { channelReason } from "@/lib/format/channel-reason";
import { formatDateTime, formatMoment, formatRelative } from "@/lib/format/date-time";
import { channelLatency, formatLatency } from "@/lib/format/latency";
import { formatPercent, localToday, uptimeRatio } from "@/lib/format/uptime";
import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import { switchTenant } from "@/app/preferences/actions";
import { getSession } from "@/lib/tenancy/current-viewer";
import { ChannelAdminPanel } from "./channel-admin-panel";
import { QrPairingPanel } from "./qr-pairing-panel";

export const dynamic = "force-dynamic";

type Format = Awaited<ReturnType<typeof getFormatter>>;

/**
 * The id comes from the URL: anything but a UUID is a 404 before the database is asked, and the
 * channel is read through RLS, so another tenant's channel is a 404 too. Once per request (metadata
 * and page share it).
 */
const loadChannelPage = cache(async (id: string) => {
  if (!z.uuid().safeParse(id).success) notFound();
  const { claims, viewer } = await getSession();
  const now = new Date();
  const found = await withUser(claims, async (tx) => {
    const channel = await getChannelDetail(tx, id);
    return channel && {
      channel, history: await loadChannelHistory(tx, channel, now), webhook: await loadPlatformWebhook(tx, channel),
      incidents: { list: await listChannelIncidents(tx, id, 20), alerts: await listChannelAlerts(tx, id, 30) },
      facts: await loadNextStepFacts(tx, channel),
    };
  });
  if (!found) notFound();
  // Raw words (stored reasons, gateway answers, instance, time zone) are for admins: the tenant's and
  // platform staff. Viewers get the plain sentences only; the raw ones are not even in their HTML.
  return { ...found, now, viewer, technical: found.channel.canManage || viewer.platformAdmin };
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { channel } = await loadChannelPage((await params).id);
  return { title: channel.displayName };
}

async function adminDownstream(channelId: string) {
  const { sql, secretKey } = await channelActionDeps();
  return viewDownstream(sql, secretKey, channelId);
}

/** A Cloud API channel's webhook setup for Meta's App Dashboard, and whether its app subscription is checked. */
function cloudApiRows(channel: Parameters<typeof cloudApiWebhookView>[0], t: Awaited<ReturnType<typeof getTranslations>>): [string, string][] {
  const view = cloudApiWebhookView(channel);
  if (!view) return [];
  return [
    [t("channel.technicalFields.wabaId"), view.wabaId ?? t("channel.technicalFields.noWabaId")],
    [t("channel.technicalFields.callbackUrl"), view.callbackUrl ?? t("channel.technicalFields.noAppUrl")],
    [t("channel.technicalFields.verifyToken"), view.verifyToken],
  ];
}

function uptimeSeries(history: ChannelHistory, now: Date, timeZone: string, format: Format) {
  const today = localToday(now, timeZone);
  return uptimeByDay(history.daily, today, secondsIntoLocalDay(now, timeZone)).map((day) => ({
    ...day,
    // Local dates already: format at noon UTC so no timezone can move them to another day.
    label: format.dateTime(new Date(`${day.day}T12:00:00Z`), { day: "2-digit", month: "short", timeZone: "UTC" }),
  }));
}

function latencySeries(history: ChannelHistory, now: Date, timeZone: string, format: Format) {
  return latencyByHour(history.hourly, now).map((slot) => ({
    ...slot,
    label: format.dateTime(new Date(slot.hour), { weekday: "short", hour: "2-digit", minute: "2-digit", timeZone }),
  }));
}

export default async function ChannelPage({ params }: { params: Promise<{ id: string }> }) {
  const { channel, history, now, webhook, incidents, facts, technical, viewer } = await loadChannelPage((await params).id);
  const t = await getTranslations();
  // Admins see the downstream masked on the server; its secrets never reach the page.
  const downstream = channel.canManage && webhook.summary?.hasDownstream ? await adminDownstream(channel.id) : null;
  const format = await getFormatter();
  const locale = await getLocale();
  const timeZone = channel.timezone;

  const observed = history.daily.reduce((sum, d) => sum + d.upSeconds + d.degradedSeconds + d.downSeconds, 0);
  const up = history.daily.reduce((sum, d) => sum + d.upSeconds, 0);
  const daysWithData = history.daily.filter((d) => d.upSeconds + d.degradedSeconds + d.downSeconds > 0).length;
  const thirtyDaysAgo = localToday(new Date(now.getTime() - 29 * 86_400_000), timeZone);
  const last30 = history.daily.filter((d) => d.day >= thirtyDaysAgo);
  const uptime30 = uptimeRatio({
    upSeconds: last30.reduce((sum, d) => sum + d.upSeconds, 0),
    observedSeconds: last30.reduce((sum, d) => sum + d.upSeconds + d.degradedSeconds + d.downSeconds, 0),
  });
  const samples = history.hourly.reduce((sum, h) => sum + h.samples, 0);
  const avgLatency = samples > 0 ? Math.round(history.hourly.reduce((sum, h) => sum + (h.avgMs ?? 0) * h.samples, 0) / samples) : null;
  const latency = channelLatency(channel.state, channel.latencyMs);
  const stateReason = channelReason(channel.state, channel.reason);
  const maxLatency = history.hourly.reduce((max, h) => Math.max(max, h.maxMs ?? 0), 0);
  const pairingInProgress =
    channel.qrRequestedAt !== null && now.getTime() - channel.qrRequestedAt.getTime() < DEFAULT_RECONNECT_POLICY.qrGraceMs;
  const step = decideNextStep({ ...facts, state: channel.state, reason: channel.reason, monitoringEnabled: channel.monitoringEnabled, canManage: channel.canManage, now });

  // The header's switcher shows the active tenant; a channel of another one says so (see the notice).
  const otherTenant = viewer.active && viewer.active.id !== channel.tenantId
    ? viewer.tenants.find((tenant) => tenant.id === channel.tenantId) ?? null : null;
  const card = "rounded-lg border border-slate-200 bg-white p-4";
  const heading = "text-base font-semibold text-slate-900";

  return (
    <article aria-labelledby="channel-title" className="space-y-6" data-testid="channel-detail" data-state={channel.state}>
      <header className="space-y-2">
        <Link href="/channels" className="text-sm font-medium text-brand-700 hover:underline">
          <span aria-hidden="true">← </span>{t("channel.back")}
        </Link>
        {otherTenant && viewer.active && (
          <OtherTenantNotice tenantSlug={otherTenant.slug} action={switchTenant}
            text={t("channel.otherTenant", { tenant: otherTenant.name, active: viewer.active.name })}
            switchLabel={t("channel.otherTenantSwitch", { tenant: otherTenant.name })} />
        )}
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 id="channel-title" className="text-2xl font-bold break-words">{channel.displayName}</h1>
            <p className="text-sm text-slate-600">
              {channel.tenantName}
              {channel.phoneNumber && <> · <span className="tabular-nums">{channel.phoneNumber}</span></>}
            </p>
            {technical && (
              <TechnicalDetails className="mt-1" items={[
                [t("channel.technicalFields.instance"), channel.instanceName],
                [t("channel.technicalFields.timeZone"), timeZone],
                ...cloudApiRows(channel, t),
              ]} />
            )}
          </div>
          <AutoRefresh intervalMs={15_000} renderedAt={now.toISOString()} watchUrl={`/api/channels/changes?tenant=${channel.tenantId}`} />
        </div>
      </header>

      {/* A phone reads this column top to bottom: the state, what to do and the buttons come first; on a
          wide screen the dense grid lifts the last-check and latency cards up beside the state. */}
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4 lg:grid-flow-row-dense">
        <dl className={`${card} sm:col-span-2`} data-testid="channel-state">
          <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">{t("channel.stateCard")}</dt>
          <dd className="mt-2 space-y-1">
            <StateBadge state={channel.state} />
            <p className="text-sm text-slate-800" data-testid="channel-reason"><ReasonText reason={stateReason} /></p>
            <p className="text-sm text-slate-600">
              {t.rich("channel.since", {
                time: () => <time dateTime={channel.since.toISOString()}>{formatMoment(channel.since, now, locale, timeZone)}</time>,
                ago: formatRelative(channel.since, now, locale),
              })}
            </p>
            {technical && (
              <TechnicalDetails items={[
                [t("channel.technicalFields.stored"), stateReason?.detail ?? (channel.state === "connected" ? null : channel.reason)],
                [t("channel.technicalFields.at"), channel.since.toISOString()],
              ]} />
            )}
          </dd>
        </dl>
        {!channel.monitoringEnabled && (
          <p className="rounded-lg border border-slate-300 bg-slate-100 p-3 text-sm text-slate-800 sm:col-span-2 lg:col-span-4" role="note">
            <span aria-hidden="true">❚❚ </span>{t("channel.pausedNote")}
          </p>
        )}
        <div className="empty:hidden sm:col-span-2 lg:col-span-4">
          <ChannelNextStep step={step} now={now} timeZone={timeZone} />
        </div>
        {channel.canManage && (
          <div className="grid gap-3 sm:col-span-2 lg:col-span-4 lg:grid-cols-2">
            <ChannelAdminPanel channelId={channel.id} monitoringEnabled={channel.monitoringEnabled} offerReconnect={step.offerReconnect} fixConfig={step.main === "fixConfig"} />
            {(step.offerQr || pairingInProgress) && (
              <QrPairingPanel channelId={channel.id} channelName={channel.displayName} timeZone={timeZone} pairingInProgress={pairingInProgress} />
            )}
          </div>
        )}
        <dl className={card}>
          <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">{t("channel.lastCheck")}</dt>
          <dd className="mt-2 text-sm">
            {channel.lastCheckedAt ? (
              <>
                <p className="font-medium">{formatRelative(channel.lastCheckedAt, now, locale)}</p>
                <time dateTime={channel.lastCheckedAt.toISOString()} className="text-slate-600">{formatDateTime(channel.lastCheckedAt, locale, timeZone)}</time>
              </>
            ) : (
              <p className="font-medium">{t("channel.never")}</p>
            )}
            <p className="text-xs text-slate-600">{t("channel.interval", { seconds: channel.checkIntervalSeconds })}</p>
          </dd>
        </dl>
        <dl className={card}>
          <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">{t("channel.latency")}</dt>
          <dd className="mt-2 text-sm">
            <p className="text-lg font-semibold" data-testid="channel-latency"><LatencyValue ms={latency} /></p>
            {latency === null && channel.latencyMs !== null && <p className="text-xs text-slate-600">{t("channel.latencyUnanswered")}</p>}
            <p className="text-xs text-slate-600">
              {t("channel.uptime30")}: <span className="font-medium">{formatPercent(uptime30, locale, t("channel.noData"))}</span>
            </p>
          </dd>
        </dl>
      </div>

      {webhook.summary && (
        <PlatformWebhookNote summary={webhook.summary} admin={webhook.counts ? { downstream, counts: webhook.counts } : undefined} />
      )}

      <div className="grid gap-3 lg:grid-cols-2">
        <figure className={card} aria-labelledby="uptime-title">
          <h2 id="uptime-title" className={heading}>{t("channel.uptimeTitle")}</h2>
          <figcaption className="mt-1 text-xs text-slate-600">
            {t("channel.uptimeSummary", { days: daysWithData, ratio: formatPercent(uptimeRatio({ upSeconds: up, observedSeconds: observed }), locale, t("channel.noData")) })}
          </figcaption>
          <div className="mt-2">
            <UptimeChart data={uptimeSeries(history, now, timeZone, format)} labels={{
              up: t("channel.series.up"), degraded: t("channel.series.degraded"), down: t("channel.series.down"), noData: t("channel.series.noData"),
              noDataDay: t("channel.series.noDataDay"),
            }} />
          </div>
        </figure>
        <figure className={card} aria-labelledby="latency-title">
          <h2 id="latency-title" className={heading}>{t("channel.latencyTitle")}</h2>
          <figcaption className="mt-1 text-xs text-slate-600">
            {avgLatency === null ? t("channel.latencyNoData") : t("channel.latencySummary", { avg: formatLatency(avgLatency, locale), max: formatLatency(maxLatency, locale) })}
          </figcaption>
          <div className="mt-2">
            <LatencyChart data={latencySeries(history, now, timeZone, format)} locale={locale} labels={{ avg: t("channel.latencyAvg"), max: t("channel.latencyMax"), slow: t("channel.slow") }} />
          </div>
        </figure>
      </div>

      <section aria-labelledby="timeline-title" className={card}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="timeline-title" className={heading}>{t("channel.timelineTitle")}</h2>
          <a href={`/channels/${channel.id}/export`} download data-testid="export-transitions"
            className="rounded text-sm font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700">
            {t("channelList.exportTransitions")}
          </a>
        </div>
        <ChannelTimeline transitions={history.transitions} now={now} timeZone={timeZone} technical={technical} />
      </section>
      <section aria-labelledby="incidents-title" className={card}>
        <h2 id="incidents-title" className={heading}>{t("incidents.channelTitle")}</h2>
        <ChannelIncidents channelId={channel.id} incidents={incidents.list} alerts={incidents.alerts} now={now} timeZone={timeZone} />
      </section>
      <section aria-labelledby="actions-title" className={card}>
        <h2 id="actions-title" className={heading}>{t("channel.actionsTitle")}</h2>
        <ChannelActionsLog actions={history.actions} timeZone={timeZone} technical={technical} />
      </section>
      <section aria-labelledby="checks-title" className={card}>
        <h2 id="checks-title" className={heading}>{t("channel.checksTitle")}</h2>
        <p className="mb-2 text-xs text-slate-600">{t("channel.checksNote")}</p>
        <RecentChecks checks={history.checks} timeZone={timeZone} technical={technical} />
      </section>
    </article>
  );
}
