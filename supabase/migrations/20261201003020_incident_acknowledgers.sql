-- Who acknowledged an incident, by e-mail, for /incidents and the channel page ("shows who"). Users
-- cannot read auth.users; this answers only for incidents of tenants the caller may read, and only with
-- the people who acknowledged one of them (as channel_action_actors does for actions).
create function public.incident_acknowledgers(target_tenant uuid) returns table (user_id uuid, email text)
language sql stable security definer set search_path = '' as $$
  select u.id, u.email::text
  from auth.users u
  where public.can_read_tenant(target_tenant)
    and u.id in (select i.acknowledged_by from public.incidents i where i.tenant_id = target_tenant)
$$;
revoke all on function public.incident_acknowledgers(uuid) from public, anon;
grant execute on function public.incident_acknowledgers(uuid) to authenticated, service_role;
