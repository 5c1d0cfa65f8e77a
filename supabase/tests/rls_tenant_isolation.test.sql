-- Tenant isolation on reads: a member of tenant A sees none of tenant B's rows in any tenant table,
-- platform staff see everything, and a signed-in stranger sees nothing.
begin;
select plan(26);

-- Fixtures (as the migration owner, which bypasses RLS): two tenants with one channel each and a row
-- in every monitoring table; a viewer and an admin per tenant; one platform admin; one stranger.
insert into auth.users (id, email) values
  ('30000000-0000-0000-0000-0000000000a1', 'viewer-a@example.test'),
  ('30000000-0000-0000-0000-0000000000a2', 'admin-a@example.test'),
  ('30000000-0000-0000-0000-0000000000b1', 'viewer-b@example.test'),
  ('30000000-0000-0000-0000-0000000000b2', 'admin-b@example.test'),
  ('30000000-0000-0000-0000-0000000000ff', 'staff@example.test'),
  ('30000000-0000-0000-0000-0000000000ee', 'stranger@example.test');
insert into public.tenants (id, slug, name) values
  ('10000000-0000-0000-0000-00000000000a', 'tenant-a', 'Tenant A'),
  ('10000000-0000-0000-0000-00000000000b', 'tenant-b', 'Tenant B');
insert into public.memberships (tenant_id, user_id, role) values
  ('10000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a1', 'viewer'),
  ('10000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a2', 'admin'),
  ('10000000-0000-0000-0000-00000000000b', '30000000-0000-0000-0000-0000000000b1', 'viewer'),
  ('10000000-0000-0000-0000-00000000000b', '30000000-0000-0000-0000-0000000000b2', 'admin');
insert into public.platform_admins (user_id) values ('30000000-0000-0000-0000-0000000000ff');
insert into public.channels (id, tenant_id, display_name, gateway_url, instance_name) values
  ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'Channel A', 'http://gw.test', 'inst-a'),
  ('20000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000b', 'Channel B', 'http://gw.test', 'inst-b');
insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext)
  select id, tenant_id, 'ciphertext-' || instance_name from public.channels;
insert into public.channel_status (channel_id, tenant_id, state)
  select id, tenant_id, 'connected' from public.channels;
insert into public.channel_events (channel_id, tenant_id, from_state, to_state, source, occurred_at)
  select id, tenant_id, 'unknown', 'connected', 'monitor', '2026-01-15 12:00:00+00' from public.channels;
insert into public.channel_checks (channel_id, tenant_id, checked_at, state)
  select id, tenant_id, '2026-01-15 12:00:00+00', 'connected' from public.channels;
insert into public.channel_uptime_hourly (channel_id, tenant_id, hour, up_seconds)
  select id, tenant_id, '2026-01-15 11:00:00+00', 3600 from public.channels;
insert into public.channel_uptime_daily (channel_id, tenant_id, day, up_seconds)
  select id, tenant_id, '2026-01-14', 86400 from public.channels;
insert into public.channel_actions (channel_id, tenant_id, kind, trigger, outcome)
  select id, tenant_id, 'reconnect', 'monitor', 'ok' from public.channels;
insert into public.monitor_runs (trigger, started_at, finished_at)
  values ('cron', '2026-01-15 11:59:58+00', '2026-01-15 12:00:00+00');

select is_empty(
  $$ select tablename from pg_tables where schemaname = 'public' and not rowsecurity $$,
  'every table in public has row level security enabled'
);

-- Viewer of tenant A.
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a1","role":"authenticated"}', true);
set local role authenticated;

select is_empty($$ select * from public.tenants where id <> '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees no other tenant');
select isnt_empty($$ select * from public.tenants where id = '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees tenant A');
select is_empty($$ select * from public.memberships where tenant_id <> '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees no other tenant''s memberships');
select results_eq($$ select user_id from public.memberships $$,
  $$ values ('30000000-0000-0000-0000-0000000000a1'::uuid) $$,
  'viewer of A sees only their own membership, not the admin''s');
select is_empty($$ select * from public.channels where tenant_id <> '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees no other tenant''s channels');
select isnt_empty($$ select * from public.channels where tenant_id = '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees tenant A''s channels');
select is_empty($$ select * from public.channel_status where tenant_id <> '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees no other tenant''s channel_status');
select isnt_empty($$ select * from public.channel_status where tenant_id = '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees tenant A''s channel_status');
select is_empty($$ select * from public.channel_events where tenant_id <> '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees no other tenant''s channel_events');
select isnt_empty($$ select * from public.channel_events where tenant_id = '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees tenant A''s channel_events');
select is_empty($$ select * from public.channel_checks where tenant_id <> '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees no other tenant''s channel_checks');
select isnt_empty($$ select * from public.channel_checks where tenant_id = '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees tenant A''s channel_checks');
select is_empty($$ select * from public.channel_uptime_hourly where tenant_id <> '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees no other tenant''s channel_uptime_hourly');
select isnt_empty($$ select * from public.channel_uptime_hourly where tenant_id = '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees tenant A''s channel_uptime_hourly');
select is_empty($$ select * from public.channel_uptime_daily where tenant_id <> '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees no other tenant''s channel_uptime_daily');
select isnt_empty($$ select * from public.channel_uptime_daily where tenant_id = '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees tenant A''s channel_uptime_daily');
select is_empty($$ select * from public.channel_actions where tenant_id <> '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees no other tenant''s channel_actions');
select isnt_empty($$ select * from public.channel_actions where tenant_id = '10000000-0000-0000-0000-00000000000a' $$,
  'viewer of A sees tenant A''s channel_actions');
select is_empty($$ select * from public.platform_admins $$, 'viewer of A sees no platform admins');
select is_empty($$ select * from public.monitor_runs $$, 'viewer of A sees no monitor runs');
select is(public.monitor_last_pass(), '2026-01-15 12:00:00+00'::timestamptz,
  'viewer of A still learns when the monitor last finished a pass');

-- Admin of tenant A: more of A (every membership), still nothing of B.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a2","role":"authenticated"}', true);
set local role authenticated;

select is_empty($$
  select 'tenants' from public.tenants where id <> '10000000-0000-0000-0000-00000000000a'
  union all select 'memberships' from public.memberships where tenant_id <> '10000000-0000-0000-0000-00000000000a'
  union all select 'channels' from public.channels where tenant_id <> '10000000-0000-0000-0000-00000000000a'
  union all select 'channel_status' from public.channel_status where tenant_id <> '10000000-0000-0000-0000-00000000000a'
  union all select 'channel_events' from public.channel_events where tenant_id <> '10000000-0000-0000-0000-00000000000a'
  union all select 'channel_checks' from public.channel_checks where tenant_id <> '10000000-0000-0000-0000-00000000000a'
  union all select 'channel_uptime_hourly' from public.channel_uptime_hourly where tenant_id <> '10000000-0000-0000-0000-00000000000a'
  union all select 'channel_uptime_daily' from public.channel_uptime_daily where tenant_id <> '10000000-0000-0000-0000-00000000000a'
  union all select 'channel_actions' from public.channel_actions where tenant_id <> '10000000-0000-0000-0000-00000000000a'
  union all select 'monitor_runs' from public.monitor_runs
$$, 'admin of A sees no row of another tenant in any table, nor monitor runs');

-- A signed-in user with no membership at all.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000ee","role":"authenticated"}', true);
set local role authenticated;

select is_empty($$
  select 'tenants' from public.tenants
  union all select 'memberships' from public.memberships
  union all select 'channels' from public.channels
  union all select 'channel_status' from public.channel_status
  union all select 'channel_events' from public.channel_events
  union all select 'channel_checks' from public.channel_checks
  union all select 'channel_uptime_hourly' from public.channel_uptime_hourly
  union all select 'channel_uptime_daily' from public.channel_uptime_daily
  union all select 'channel_actions' from public.channel_actions
  union all select 'platform_admins' from public.platform_admins
  union all select 'monitor_runs' from public.monitor_runs
$$, 'a user without membership sees nothing in any table');

-- Platform staff.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000ff","role":"authenticated"}', true);
set local role authenticated;

select results_eq($$
  select 'tenants', count(*)::int from public.tenants
  union all select 'memberships', count(*)::int from public.memberships
  union all select 'channels', count(*)::int from public.channels
  union all select 'channel_status', count(*)::int from public.channel_status
  union all select 'channel_events', count(*)::int from public.channel_events
  union all select 'channel_checks', count(*)::int from public.channel_checks
  union all select 'channel_uptime_hourly', count(*)::int from public.channel_uptime_hourly
  union all select 'channel_uptime_daily', count(*)::int from public.channel_uptime_daily
  union all select 'channel_actions', count(*)::int from public.channel_actions
$$, $$ values ('tenants', 2), ('memberships', 4), ('channels', 2), ('channel_status', 2),
  ('channel_events', 2), ('channel_checks', 2), ('channel_uptime_hourly', 2),
  ('channel_uptime_daily', 2), ('channel_actions', 2) $$,
  'a platform admin sees every tenant''s rows');
select results_eq($$ select count(*)::int from public.monitor_runs $$, $$ values (1) $$,
  'a platform admin sees monitor runs');

reset role;
select * from finish();
rollback;
