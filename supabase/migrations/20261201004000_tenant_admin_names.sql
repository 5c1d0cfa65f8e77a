-- Who a viewer should ask (the channel page's next step: "Peça a Bruno Lima (admin)…"): the tenant's
-- admins by name and e-mail. Users cannot read auth.users; this answers only for a tenant the caller
-- may read, and only with that tenant's admins.
--
-- Names live in the sign-in provider's user metadata (Supabase: auth.users.raw_user_meta_data, `name` or
-- `full_name`). The local stand-in table (20261128000000_supabase_compat.sql) has no such column: add it
-- there only, never to a real Supabase auth schema (which has it and is not ours to alter).
do $$
begin
  if not exists (
    select 1 from information_schema.columns
    where table_schema = 'auth' and table_name = 'users' and column_name = 'raw_user_meta_data'
  ) then
    alter table auth.users add column raw_user_meta_data jsonb;
  end if;
end
$$;

create function public.tenant_admin_names(target_tenant uuid) returns table (user_id uuid, email text, name text)
language sql stable security definer set search_path = '' as $$
  select u.id, u.email::text,
    nullif(trim(coalesce(u.raw_user_meta_data ->> 'full_name', u.raw_user_meta_data ->> 'name')), '')
  from auth.users u
  join public.memberships m on m.user_id = u.id and m.tenant_id = target_tenant and m.role = 'admin'
  where public.can_read_tenant(target_tenant)
  order by u.email
$$;
revoke all on function public.tenant_admin_names(uuid) from public, anon;
grant execute on function public.tenant_admin_names(uuid) to authenticated, service_role;
