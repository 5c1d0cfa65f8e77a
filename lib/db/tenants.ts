import type { Db } from "@/lib/db/client";

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

export class TenantNotFoundError extends Error {
  constructor(slug: string) {
    super(`No tenant with slug "${slug}"`);
    this.name = "TenantNotFoundError";
  }
}

export class TenantSlugTakenError extends Error {
  constructor(slug: string) {
    super(`a tenant with slug "${slug}" already exists`);
    this.name = "TenantSlugTakenError";
  }
}

/** Throws TenantSlugTakenError when the slug is in use (never the unique constraint's own error). */
export async function insertTenant(db: Db, input: { slug: string; name: string; timezone?: string }): Promise<Tenant> {
  const [row] = await db<Tenant[]>`
    insert into public.tenants (slug, name, timezone)
    values (${input.slug}, ${input.name}, ${input.timezone ?? "America/Sao_Paulo"})
    on conflict (slug) do nothing
    returning id, slug, name, timezone
  `;
  if (!row) throw new TenantSlugTakenError(input.slug);
  return row;
}

export async function findTenantBySlug(db: Db, slug: string): Promise<Tenant> {
  const [row] = await db<Tenant[]>`select id, slug, name, timezone from public.tenants where slug = ${slug}`;
  if (!row) throw new TenantNotFoundError(slug);
  return row;
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  return db<Tenant[]>`select id, slug, name, timezone from public.tenants order by name`;
}
