import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AutoRefresh } from "@/components/auto-refresh";
import { IncidentList } from "@/components/incident-list";
import { listIncidents } from "@/lib/db/incidents";
import { withUser } from "@/lib/db/sessions";
import {
  INCIDENT_PERIODS, INCIDENT_STATUSES, incidentFiltersQuery, readIncidentFilters, type IncidentFilters,
} from "@/lib/incidents/incident-filters";
import { ALERTING_STATES } from "@/lib/incidents/incident-states";
import { requireActiveTenant } from "@/lib/tenancy/current-viewer";
import { acknowledgeAction } from "./actions";

export const dynamic = "force-dynamic";

/** The page shows this many; the CSV export has them all. */
const PAGE_LIMIT = 200;

export async function generateMetadata() {
  const t = await getTranslations("incidents");
  return { title: t("title") };
}

type Translate = Awaited<ReturnType<typeof getTranslations>>;

/** Filters are a plain GET form: the URL holds them, so a view can be shared and exported as it is. */
function FilterForm({ t, filters, channels }: { t: Translate; filters: IncidentFilters; channels: { id: string; name: string }[] }) {
  const select = "rounded border border-slate-300 bg-white px-2 py-1 text-sm";
  const label = "flex flex-col gap-1 text-xs font-semibold text-slate-700";
  return (
    <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" aria-label={t("incidents.filters")}>
      <label className={label}>
        {t("incidents.status")}
        <select name="status" defaultValue={filters.status} className={select}>
          {INCIDENT_STATUSES.map((status) => <option key={status} value={status}>{t(`incidents.statuses.${status}`)}</option>)}
        </select>
      </label>
      <label className={label}>
        {t("incidents.state")}
        <select name="state" defaultValue={filters.state ?? ""} className={select}>
          <option value="">{t("incidents.anyState")}</option>
          {ALERTING_STATES.map((state) => (
            <option key={state} value={state}>{state === "blocked" ? t("incidents.stateBlocked") : t(`states.${state}`)}</option>
          ))}
        </select>
      </label>
      <label className={label}>
        {t("incidents.channel")}
        <select name="channel" defaultValue={filters.channelId ?? ""} className={`${select} max-w-[14rem]`}>
          <option value="">{t("incidents.anyChannel")}</option>
          {channels.map((channel) => <option key={channel.id} value={channel.id}>{channel.name}</option>)}
        </select>
      </label>
      <label className={label}>
        {t("incidents.period")}
        <select name="period" defaultValue={filters.period} className={select}>
          {Object.keys(INCIDENT_PERIODS).map((period) => <option key={period} value={period}>{t(`incidents.periods.${period}`)}</option>)}
        </select>
      </label>
      <button type="submit" className="rounded-lg bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-900">
        {t("incidents.apply")}
      </button>
    </form>
  );
}

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { claims, tenant, viewer } = await requireActiveTenant();
  const filters = readIncidentFilters(await searchParams);
  const now = new Date();
  const { rows, channels } = await withUser(claims, async (tx) => ({
    rows: await listIncidents(tx, { tenantId: tenant.id, filters, now, limit: PAGE_LIMIT }),
    channels: await tx<{ id: string; name: string }[]>`
      select id, display_name as name from public.channels where tenant_id = ${tenant.id} order by display_name`,
  }));
  const t = await getTranslations();
  const query = incidentFiltersQuery(filters);
  const open = rows.filter((row) => row.resolvedAt === null).length;

  return (
    <section aria-labelledby="incidents-title" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 id="incidents-title" className="text-2xl font-bold">{t("incidents.title")}</h1>
          <p className="text-sm text-slate-600">
            {tenant.name} · {t("incidents.openCount", { count: open })}
            {/* The time zone is for admins; everyone else reads times as they are (issue 12.3). */}
            {(tenant.role === "admin" || viewer.platformAdmin) && <> · {t("channels.timezone", { timezone: tenant.timezone })}</>}
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <a href={`/incidents/export${query ? `?${query}` : ""}`} data-testid="export-csv" download
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">
            {t("incidents.exportCsv")}
          </a>
          <AutoRefresh intervalMs={15_000} renderedAt={now.toISOString()} watchUrl={`/api/channels/changes?tenant=${tenant.id}`} />
        </div>
      </div>
      <FilterForm t={t} filters={filters} channels={channels} />
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600">
          {query ? t("incidents.emptyFiltered") : t("incidents.empty")}{" "}
          {query && <Link href="/incidents" className="font-medium text-brand-700 hover:underline">{t("incidents.clearFilters")}</Link>}
        </p>
      ) : (
        <>
          <IncidentList rows={rows} now={now} timeZone={tenant.timezone} acknowledge={tenant.role === "admin" ? acknowledgeAction : undefined} />
          {rows.length === PAGE_LIMIT && <p className="text-xs text-slate-600">{t("incidents.truncated", { count: PAGE_LIMIT })}</p>}
        </>
      )}
    </section>
  );
}
