import { getSql, closeSql } from "@/lib/db/client";
import { runAsUser } from "@/lib/db/sessions";
import { DEMO_USERS } from "@/lib/demo/demo-data";

/**
 * For every demo user, what a direct SQL query made through withUser returns for rows of tenants the
 * user does not belong to — table by table. Everything but the platform admin's row must be 0.
 *   npx tsx scripts/rls-probe.ts        (DATABASE_URL, or the embedded database: run the demo first)
 */

const TABLES = [
  "tenants", "memberships", "channels", "channel_status", "channel_events", "channel_checks",
  "channel_uptime_hourly", "channel_uptime_daily", "channel_actions",
] as const;

const sql = await getSql();
const tenants = await sql<{ id: string; slug: string }[]>`select id, slug from public.tenants`;
const rows: Record<string, string | number>[] = [];
for (const user of DEMO_USERS) {
  const own = new Set(user.memberships.map((m) => m.tenant));
  const others = tenants.filter((t) => !own.has(t.slug)).map((t) => t.id);
  const counts: Record<string, string | number> = { user: user.email };
  await runAsUser(sql, { sub: user.id, email: user.email }, async (tx) => {
    for (const table of TABLES) {
      const column = table === "tenants" ? "id" : "tenant_id";
      const [row] = await tx<{ n: number }[]>`
        select count(*)::int as n from ${tx(`public.${table}`)} where ${tx(column)} = any(${others}::uuid[])`;
      counts[table] = row.n;
    }
    // The control: the same user does see their own tenants' channels, so the zeros above mean something.
    const [mine] = await tx<{ n: number }[]>`
      select count(*)::int as n from public.channels where not (tenant_id = any(${others}::uuid[]))`;
    counts.own_channels = mine.n;
    try {
      await tx.savepoint((sp) => sp`select api_key_ciphertext from public.channel_secrets limit 1`);
      counts.api_keys = "READABLE";
    } catch {
      counts.api_keys = "denied";
    }
  }).catch((error) => {
    counts.error = String(error);
  });
  rows.push(counts);
}
console.table(rows);
await closeSql();
