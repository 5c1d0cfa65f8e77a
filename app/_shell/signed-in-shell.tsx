import { getLocale } from "next-intl/server";
import { AppShell } from "@/components/app-shell";
import { switchLocale, switchTenant } from "@/app/preferences/actions";
import { getSql } from "@/lib/db/client";
import { getLastPassAt, livenessOf } from "@/lib/db/monitor-runs";
import { env } from "@/lib/env";
import type { Viewer } from "@/lib/tenancy/viewer";

/** The frame of every signed-in page: header, tenant and language switches, and the liveness banner. */
export async function SignedInShell({ viewer, children }: { viewer: Viewer; children: React.ReactNode }) {
  const now = new Date();
  const liveness = livenessOf(await getLastPassAt(await getSql()), now, env().MONITOR_INTERVAL_SECONDS);
  return (
    <AppShell viewer={viewer} liveness={liveness} now={now} locale={await getLocale()} actions={{ switchTenant, switchLocale }}>
      {children}
    </AppShell>
  );
}
