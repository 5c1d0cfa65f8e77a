-- Read paths for the dashboard at fleet size (200 channels × 90 days in one tenant must render in well
-- under 150 ms). Two costs dominated /channels:
--
-- 1. RLS called public.can_read_tenant(tenant_id) once per row. It is security definer, so it is never
--    inlined: every call runs two more queries, about 50 µs a row, so reading 90 days of daily rollups
--    for 200 channels (18,000 rows) spent close to a second on policy checks alone. The read policies
--    below ask the same question once per statement instead: the set of tenants the caller may read is
--    computed once (an uncorrelated subquery, hashed), and each row is a hash lookup. Same rule as before:
--    a member of the tenant, or platform staff.
-- 2. The rollups had no index that starts with the tenant, so "this tenant's last 24 hours / 90 days"
--    scanned by hour across every tenant or read the whole table.

create function public.readable_tenant_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select m.tenant_id from public.memberships m where m.user_id = auth.uid()
  union
  select t.id from public.tenants t where public.is_platform_admin()
$$;
revoke all on function public.readable_tenant_ids() from public, anon;
grant execute on function public.readable_tenant_ids() to authenticated, service_role;

alter policy tenants_read on public.tenants using (id in (select public.readable_tenant_ids()));
alter policy channels_read on public.channels using (tenant_id in (select public.readable_tenant_ids()));
alter policy channel_status_read on public.channel_status using (tenant_id in (select public.readable_tenant_ids()));
alter policy channel_events_read on public.channel_events using (tenant_id in (select public.readable_tenant_ids()));
alter policy channel_checks_read on public.channel_checks using (tenant_id in (select public.readable_tenant_ids()));
alter policy channel_uptime_hourly_read on public.channel_uptime_hourly
  using (tenant_id in (select public.readable_tenant_ids()));
alter policy channel_uptime_daily_read on public.channel_uptime_daily
  using (tenant_id in (select public.readable_tenant_ids()));
alter policy channel_actions_read on public.channel_actions using (tenant_id in (select public.readable_tenant_ids()));

create index channel_uptime_hourly_tenant_hour_idx on public.channel_uptime_hourly (tenant_id, hour);
create index channel_uptime_daily_tenant_day_idx on public.channel_uptime_daily (tenant_id, day);

-- /admin lists the latest passes by start; monitor_runs grows by one row per pass (2,880 a day at 30 s).
create index monitor_runs_started_idx on public.monitor_runs (started_at desc);
