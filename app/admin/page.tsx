import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { formatMoment, formatRelative } from "@/lib/format/date-time";
import { AutoRefresh } from "@/components/auto-refresh";
import { PassDurationChart } from "@/components/charts/pass-duration-chart";
import { TenantStatesChart } from "@/components/charts/tenant-states-chart";
import { PassesTable, TenantStatesTable, WorstChannelsTable, type PassRow, type WorstChannelRow } from "@/components/fleet-tables";
import { SEVERITY } from "@/lib/db/channel-health";
import { countStatesByTenant, listPassDurations, listRecentPasses, listWorstChannels, type FleetChannel, type MonitorPass } from "@/lib/db/fleet";
import { withUser } from "@/lib/db/sessions";
import { describeReason } from "@/lib/format/reason";
import { formatPercent, uptimeRatio, uptimeTone } from "@/lib/format/uptime";
import { passProgress } from "@/lib/monitor/run-liveness";
import { CHANNEL_STATES, healthOf, type ChannelState } from "@/lib/monitor/states";
import { getSession } from "@/lib/tenancy/current-viewer";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("admin");
  return { title: t("title") };
}

type Translate = Awaited<ReturnType<typeof getTranslations>>;
type Format = Awaited<ReturnType<typeof getFormatter>>;
interface View { t: Translate; format: Format; now: Date; timeZone: string; locale: string }

function reasonText(t: Translate, state: ChannelState, reason: string | null): string | null {
  const message = describeReason(state, reason);
  if (!message) return null;
  return "raw" in message ? message.raw : t(`reasons.${message.key}`, message.values);
}

function worstRow(channel: FleetChannel, v: View): WorstChannelRow {
  const ratio = uptimeRatio({ upSeconds: channel.upSeconds7d, observedSeconds: channel.observedSeconds7d });
  return {
    id: channel.id,
    name: channel.displayName,
    tenant: channel.tenantName,
    state: channel.state,
    reason: reasonText(v.t, channel.state, channel.reason),
    monitorError: channel.monitorError && v.t("admin.monitorError", { error: channel.monitorError }),
    since: {
      text: v.t("channels.since", { time: formatMoment(channel.since, v.now, v.locale, channel.tenantTimezone) }),
      title: formatRelative(channel.since, v.now, v.locale),
      iso: channel.since.toISOString(),
    },
    uptime7d: { value: formatPercent(ratio, v.locale, v.t("channels.noData")), tone: uptimeTone(ratio) },
  };
}

function passDuration(pass: MonitorPass, v: View): string {
  const progress = passProgress(pass, v.now);
  if (progress === "running") return v.t("admin.running");
  if (progress === "stalled") {
    const lastSign = pass.heartbeatAt ?? pass.startedAt;
    return v.t("admin.stalled", { time: v.format.dateTime(lastSign, { timeStyle: "medium", timeZone: v.timeZone }) });
  }
  // A finished pass always has a duration; a run closed by the sweep has the time up to its last beat.
  return pass.durationMs === null ? "—" : `${v.format.number(pass.durationMs)} ms`;
}

function passRow(pass: MonitorPass, v: View): PassRow {
  return {
    id: pass.id,
    trigger: v.t(`admin.triggers.${pass.trigger}`),
    started: {
      text: v.format.dateTime(pass.startedAt, { timeStyle: "medium", timeZone: v.timeZone }),
      title: formatRelative(pass.startedAt, v.now, v.locale),
      iso: pass.startedAt.toISOString(),
    },
    duration: passDuration(pass, v),
    progress: passProgress(pass, v.now),
    checked: pass.checked,
    failed: pass.failed,
    remaining: pass.remaining,
    error: pass.error,
    incidentsError: pass.incidentsError && v.t("admin.incidentsError", { error: pass.incidentsError }),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: "bad" }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={`mt-1 text-2xl font-bold tabular-nums ${tone === "bad" ? "text-red-700" : "text-slate-900"}`}>{value}</dd>
    </div>
  );
}

export default async function AdminPage() {
  const { claims, viewer } = await getSession();
  if (!viewer.platformAdmin) notFound();
  const now = new Date();
  const [tenants, worst, passes, { firstPassAt, buckets: durations }] = await withUser(claims, (tx) =>
    Promise.all([countStatesByTenant(tx), listWorstChannels(tx, { now }), listRecentPasses(tx), listPassDurations(tx, { now })]),
  );
  const t = await getTranslations();
  const format = await getFormatter();
  const timeZone = viewer.active?.timezone ?? "America/Sao_Paulo";
  const v: View = { t, format, now, timeZone, locale: await getLocale() };

  const present = CHANNEL_STATES.filter((state) => tenants.some((tenant) => tenant.byState[state] > 0)).sort((a, b) => SEVERITY[a] - SEVERITY[b]);
  const countsOf = (byState: Record<ChannelState, number>) => Object.fromEntries(present.map((s) => [s, byState[s]]));
  const totals = { channels: 0, down: 0 };
  for (const tenant of tenants) {
    totals.channels += tenant.total;
    for (const state of CHANNEL_STATES) if (healthOf(state) === "down") totals.down += tenant.byState[state];
  }
  const finished = durations.filter((b) => b.passes > 0);
  const passes24h = finished.reduce((sum, b) => sum + b.passes, 0);
  const errors24h = finished.reduce((sum, b) => sum + b.errors, 0);
  const medianMs = median(passes.flatMap((p) => (p.durationMs === null ? [] : [p.durationMs])));
  const hhmm = (at: Date) => format.dateTime(at, { hour: "2-digit", minute: "2-digit", timeZone });
  const slowest = finished.length ? Math.max(...finished.map((b) => b.maxMs ?? 0)) : null;
  // Monitoring began inside the chart's window: say so, so a short chart is not read as missing hours.
  const startedRecently = firstPassAt !== null && now.getTime() - firstPassAt.getTime() < 24 * 3_600_000;

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-bold">{t("admin.title")}</h1>
          <p className="text-sm text-slate-600">{t("admin.subtitle", { timezone: timeZone })}</p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <Link href="/admin/import" data-testid="admin-import" className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">
            {t("import.staffTitle")}
          </Link>
          <AutoRefresh intervalMs={15_000} renderedAt={now.toISOString()} />
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label={t("admin.stats.tenants")} value={format.number(tenants.length)} />
        <Stat label={t("admin.stats.channels")} value={format.number(totals.channels)} />
        <Stat label={t("admin.stats.down")} value={format.number(totals.down)} tone={totals.down > 0 ? "bad" : undefined} />
        <Stat label={t("admin.stats.passes24h", { errors: errors24h })} value={format.number(passes24h)} tone={errors24h > 0 ? "bad" : undefined} />
      </dl>

      <section aria-labelledby="by-tenant" className="space-y-3">
        <h2 id="by-tenant" className="text-lg font-semibold">{t("admin.byTenant")}</h2>
        {tenants.length === 0 ? <p className="text-sm text-slate-600">{t("admin.noTenants")}</p> : (
          <>
            <figure className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
              <TenantStatesChart
                data={tenants.map((tenant) => ({ tenant: tenant.name, counts: countsOf(tenant.byState) }))}
                series={present.map((state) => ({ state, label: t(`states.${state}`) }))}
              />
              <figcaption className="mt-2 text-xs text-slate-600">{t("admin.byTenantCaption")}</figcaption>
            </figure>
            <TenantStatesTable
              caption={t("admin.byTenant")}
              states={present}
              rows={tenants.map((tenant) => ({ tenantId: tenant.tenantId, name: tenant.name, total: tenant.total, counts: countsOf(tenant.byState) }))}
            />
          </>
        )}
      </section>

      <section aria-labelledby="worst" className="space-y-3">
        <h2 id="worst" className="text-lg font-semibold">{t("admin.worst", { count: worst.length })}</h2>
        {worst.length === 0 ? <p className="text-sm text-slate-600" data-testid="no-worst">{t("admin.noWorst")}</p> : (
          <WorstChannelsTable caption={t("admin.worst", { count: worst.length })} rows={worst.map((channel) => worstRow(channel, v))} />
        )}
      </section>

      <section aria-labelledby="durations" className="space-y-3">
        <h2 id="durations" className="text-lg font-semibold">{t("admin.durations")}</h2>
        <figure className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
          <PassDurationChart
            data={durations.map((b) => ({ label: hhmm(b.at), avgMs: b.avgMs, maxMs: b.maxMs }))}
            labels={{ avg: t("admin.avgDuration"), max: t("admin.maxDuration") }}
          />
          <figcaption className="mt-2 text-xs text-slate-600">
            {t("admin.durationsCaption", {
              passes: passes24h,
              median: medianMs === null ? "—" : `${format.number(medianMs)} ms`,
              slowest: slowest === null ? "—" : `${format.number(slowest)} ms`,
              empty: durations.length - finished.length,
            })}
            {startedRecently && <> {t("admin.monitoringSince", { time: hhmm(firstPassAt) })}</>}
          </figcaption>
        </figure>
      </section>

      <section aria-labelledby="passes" className="space-y-3">
        <h2 id="passes" className="text-lg font-semibold">{t("admin.passes", { count: passes.length })}</h2>
        {passes.length === 0 ? <p className="text-sm text-slate-600">{t("admin.noPasses")}</p> : (
          <PassesTable caption={t("admin.passes", { count: passes.length })} rows={passes.map((pass) => passRow(pass, v))} />
        )}
      </section>
    </div>
  );
}
