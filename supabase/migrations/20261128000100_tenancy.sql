-- Tenants, who belongs to them, and the platform's own staff.

create table public.tenants (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null check (length(trim(name)) > 0),
  timezone text not null default 'America/Sao_Paulo',
  created_at timestamptz not null default now()
);

create table public.memberships (
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  user_id uuid not null,
  role text not null check (role in ('viewer', 'admin')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
create index memberships_user_idx on public.memberships (user_id);

create table public.platform_admins (
  user_id uuid primary key,
  created_at timestamptz not null default now()
);

-- Helpers for policies. Security definer so that a policy on memberships can ask about memberships
-- without recursing through its own policy; search_path pinned so nothing can shadow the tables.
create function public.is_platform_admin() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.platform_admins where user_id = auth.uid())
$$;

create function public.is_tenant_member(target uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.memberships where tenant_id = target and user_id = auth.uid()
  )
$$;

create function public.is_tenant_admin(target uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.memberships
    where tenant_id = target and user_id = auth.uid() and role = 'admin'
  )
$$;

create function public.can_read_tenant(target uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.is_tenant_member(target) or public.is_platform_admin()
$$;

revoke all on function public.is_platform_admin() from public;
revoke all on function public.is_tenant_member(uuid) from public;
revoke all on function public.is_tenant_admin(uuid) from public;
revoke all on function public.can_read_tenant(uuid) from public;
grant execute on function public.is_platform_admin() to authenticated, service_role;
grant execute on function public.is_tenant_member(uuid) to authenticated, service_role;
grant execute on function public.is_tenant_admin(uuid) to authenticated, service_role;
grant execute on function public.can_read_tenant(uuid) to authenticated, service_role;

alter table public.tenants enable row level security;
alter table public.memberships enable row level security;
alter table public.platform_admins enable row level security;

create policy tenants_read on public.tenants for select to authenticated
  using (public.can_read_tenant(id));

-- A user sees their own memberships, the memberships of tenants they administer, and all of them
-- when platform staff.
create policy memberships_read on public.memberships for select to authenticated
  using (user_id = auth.uid() or public.is_tenant_admin(tenant_id) or public.is_platform_admin());

create policy platform_admins_read_self on public.platform_admins for select to authenticated
  using (user_id = auth.uid());

grant select on public.tenants, public.memberships, public.platform_admins to authenticated;
