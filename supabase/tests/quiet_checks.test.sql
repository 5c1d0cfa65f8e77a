-- The schedule and the open stretch of uptime (20261202003000_quiet_checks.sql): a member of tenant A
-- reads tenant A's last checks and uptime, open stretch included, and nothing of tenant B's; nobody
-- signed in writes the schedule; channel_status still reads as one row per channel.
begin;
select plan(12);

insert into auth.users (id, email) values
  ('31000000-0000-0000-0000-0000000000a1', 'viewer-a@example.test'),
  ('31000000-0000-0000-0000-0000000000ee', 'stranger@example.test');
insert into public.tenants (id, slug, name) values
  ('11000000-0000-0000-0000-00000000000a', 'tenant-a', 'Tenant A'),
  ('11000000-0000-0000-0000-00000000000b', 'tenant-b', 'Tenant B');
insert into public.memberships (tenant_id, user_id, role) values
  ('11000000-0000-0000-0000-00000000000a', '31000000-0000-0000-0000-0000000000a1', 'viewer');
insert into public.channels (id, tenant_id, display_name, gateway_url, instance_name) values
  ('21000000-0000-0000-0000-00000000000a', '11000000-0000-0000-0000-00000000000a', 'Channel A', 'http://gw.test', 'inst-a'),
  ('21000000-0000-0000-0000-00000000000b', '11000000-0000-0000-0000-00000000000b', 'Channel B', 'http://gw.test', 'inst-b');
-- Connected since 12:00, materialized up to 12:00, last claimed at 12:00:30: 30 s open, up.
insert into public.channel_status (channel_id, tenant_id, state, since, accounted_until)
  select id, tenant_id, 'connected', '2026-01-15 12:00:00+00', '2026-01-15 12:00:00+00' from public.channels;
update public.channel_schedule set last_checked_at = '2026-01-15 12:00:30+00';
insert into public.channel_uptime_hourly (channel_id, tenant_id, hour, up_seconds)
  select id, tenant_id, '2026-01-15 11:00:00+00', 3600 from public.channels;

select results_eq($$ select count(*)::int from public.channel_schedule $$, $$ values (2) $$,
  'every status row has its schedule row');
select results_eq($$ select last_checked_at from public.channel_status where channel_id = '21000000-0000-0000-0000-00000000000a' $$,
  $$ values ('2026-01-15 12:00:30+00'::timestamptz) $$, 'channel_status reads the schedule''s last check');

-- Viewer of tenant A.
select set_config('request.jwt.claims', '{"sub":"31000000-0000-0000-0000-0000000000a1","role":"authenticated"}', true);
set local role authenticated;

select results_eq($$ select channel_id from public.channel_schedule $$,
  $$ values ('21000000-0000-0000-0000-00000000000a'::uuid) $$, 'viewer of A reads only A''s schedule');
select results_eq($$ select channel_id, hour, up_seconds from public.channel_uptime_open $$,
  $$ values ('21000000-0000-0000-0000-00000000000a'::uuid, '2026-01-15 12:00:00+00'::timestamptz, 30) $$,
  'viewer of A reads only A''s open stretch');
select results_eq($$ select hour, up_seconds from public.channel_uptime_hourly order by hour $$,
  $$ values ('2026-01-15 11:00:00+00'::timestamptz, 3600), ('2026-01-15 12:00:00+00'::timestamptz, 30) $$,
  'viewer of A reads A''s hours, the open stretch included');
select results_eq($$ select day, up_seconds from public.channel_uptime_daily $$,
  $$ values ('2026-01-15'::date, 30) $$, 'viewer of A reads A''s days, the open stretch included');
select is_empty($$ select * from public.channel_uptime_hourly where tenant_id <> '11000000-0000-0000-0000-00000000000a' $$,
  'viewer of A reads no other tenant''s hours');
select throws_ok($$ update public.channel_schedule set next_check_at = now() $$, '42501', null,
  'a member cannot move a schedule');
select throws_ok($$ update public.channel_state set accounted_until = now() $$, '42501', null,
  'a member cannot move accounted time');

-- A signed-in user with no membership.
reset role;
select set_config('request.jwt.claims', '{"sub":"31000000-0000-0000-0000-0000000000ee","role":"authenticated"}', true);
set local role authenticated;

select is_empty($$
  select 'schedule' from public.channel_schedule
  union all select 'open' from public.channel_uptime_open
  union all select 'hours' from public.channel_uptime_hours
  union all select 'days' from public.channel_uptime_days
$$, 'a user without membership reads no schedule and no uptime');

-- Not signed in.
reset role;
set local role anon;
select throws_ok($$ select * from public.channel_schedule $$, '42501', null, 'anon cannot read the schedule');
select throws_ok($$ select * from public.channel_uptime_hourly $$, '42501', null, 'anon cannot read uptime');

reset role;
select * from finish();
rollback;
