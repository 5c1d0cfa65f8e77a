import { notFound } from "next/navigation";
import { getLocale } from "next-intl/server";
import { AppShell } from "@/components/app-shell";
import { switchLocale, switchTenant } from "@/app/preferences/actions";
import { getSql } from "@/lib/db/client";
import { getLastPassAt, livenessOf } from "@/lib/db/monitor-runs";
import { env } from "@/lib/env";
import { getSession } from "@/lib/tenancy/current-viewer";

export const dynamic = "force-dynamic";

/** Platform staff only: anyone else gets the same 404 as a page that does not exist. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { viewer } = await getSession();
  if (!viewer.platformAdmin) notFound();
  const now = new Date();
  const liveness = livenessOf(await getLastPassAt(await getSql()), now, env().MONITOR_INTERVAL_SECONDS);
  return (
    <AppShell viewer={viewer} liveness={liveness} now={now} locale={await getLocale()} actions={{ switchTenant, switchLocale }}>
      {children}
    </AppShell>
  );
}
