import type { Tx } from "@/lib/db/client";

export interface ViewerTenant {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  /** null for a platform admin looking at a tenant they do not belong to. */
  role: "viewer" | "admin" | null;
}

export interface Viewer {
  userId: string;
  email: string | null;
  platformAdmin: boolean;
  tenants: ViewerTenant[];
  active: ViewerTenant | null;
}

/**
 * Who is looking and at what: read through RLS (inside withUser), so the tenant list is exactly what
 * the database lets this user see. `preferredSlug` (the tenant cookie) picks the active one when it
 * is still one of them.
 */
export async function loadViewer(tx: Tx, claims: { sub: string; email?: string }, preferredSlug?: string): Promise<Viewer> {
  const tenants = await tx<ViewerTenant[]>`
    select t.id, t.slug, t.name, t.timezone, m.role
    from public.tenants t
    left join public.memberships m on m.tenant_id = t.id and m.user_id = ${claims.sub}
    order by (m.role is null), t.name
  `;
  const [{ admin }] = await tx<{ admin: boolean }[]>`select public.is_platform_admin() as admin`;
  const active = tenants.find((t) => t.slug === preferredSlug) ?? tenants.find((t) => t.role !== null) ?? tenants[0] ?? null;
  return { userId: claims.sub, email: claims.email ?? null, platformAdmin: admin, tenants: [...tenants], active };
}
