import Link from "next/link";
import { useTranslations } from "next-intl";
import { LivenessBanner } from "@/components/liveness-banner";
import { AutoSubmitSelect } from "@/components/auto-submit-select";
import { NavLink } from "@/components/nav-link";
import type { MonitorLiveness } from "@/lib/db/monitor-runs";
import type { Viewer } from "@/lib/tenancy/viewer";

interface Props {
  viewer: Viewer;
  liveness: MonitorLiveness;
  now: Date;
  locale: string;
  actions: { switchTenant: (data: FormData) => Promise<void>; switchLocale: (data: FormData) => Promise<void> };
  children: React.ReactNode;
}

export function AppShell({ viewer, liveness, now, locale, actions, children }: Props) {
  const t = useTranslations("app");
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2">
        {t("skipToContent")}
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link href="/channels" className="flex items-center gap-2 font-bold text-brand-900">
            <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-lg bg-brand-700 text-white">S</span>
            {t("name")}
          </Link>
          <nav aria-label={t("nav.main")} className="flex gap-3 text-sm font-medium">
            <NavLink href="/channels">{t("nav.channels")}</NavLink>
            <NavLink href="/incidents">{t("nav.incidents")}</NavLink>
            {viewer.active && <NavLink href="/settings/alerts">{t("nav.alerts")}</NavLink>}
            {viewer.platformAdmin && <NavLink href="/admin">{t("nav.admin")}</NavLink>}
          </nav>
          <div className="ml-auto flex flex-wrap items-center gap-2 text-sm">
            {viewer.tenants.length > 1 && (
              <form action={actions.switchTenant} className="[&_select]:max-w-[11rem] sm:[&_select]:max-w-none">
                <AutoSubmitSelect
                  name="tenant"
                  label={t("switchTenant")}
                  value={viewer.active?.slug}
                  options={viewer.tenants.map((tenant) => ({ value: tenant.slug, label: tenant.name }))}
                />
              </form>
            )}
            {viewer.tenants.length === 1 && viewer.active && (
              <span className="rounded bg-slate-100 px-2 py-1 text-slate-700" data-testid="active-tenant">{viewer.active.name}</span>
            )}
            <form action={actions.switchLocale}>
              <AutoSubmitSelect
                name="locale"
                label={t("language")}
                value={locale}
                options={[{ value: "pt-BR", label: "Português" }, { value: "en", label: "English" }]}
              />
            </form>
            <form action="/auth/sign-out" method="post">
              <button type="submit" className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100" title={viewer.email ?? undefined}>
                {t("nav.signOut")}
              </button>
            </form>
          </div>
        </div>
      </header>
      {!liveness.alive && <LivenessBanner lastPassAt={liveness.lastPassAt} now={now} timeZone={viewer.active?.timezone} />}
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </>
  );
}
