-- Writes under RLS: a viewer changes nothing, an admin changes only their own tenant, the action log is
-- append-only and records only the acting admin's own manual actions. Where a policy filters rows the
-- statement succeeds and touches nothing (asserted by reading back); where a grant or a WITH CHECK
-- refuses, it fails with 42501 (asserted with the exact message, which names the mechanism).
begin;
select plan(33);

insert into auth.users (id, email) values
  ('30000000-0000-0000-0000-0000000000a1', 'viewer-a@example.test'),
  ('30000000-0000-0000-0000-0000000000a2', 'admin-a@example.test'),
  ('30000000-0000-0000-0000-0000000000b2', 'admin-b@example.test');
insert into public.tenants (id, slug, name) values
  ('10000000-0000-0000-0000-00000000000a', 'tenant-a', 'Tenant A'),
  ('10000000-0000-0000-0000-00000000000b', 'tenant-b', 'Tenant B');
insert into public.memberships (tenant_id, user_id, role) values
  ('10000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a1', 'viewer'),
  ('10000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a2', 'admin'),
  ('10000000-0000-0000-0000-00000000000b', '30000000-0000-0000-0000-0000000000b2', 'admin');
insert into public.channels (id, tenant_id, display_name, gateway_url, instance_name) values
  ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'Channel A', 'http://gw.test', 'inst-a'),
  ('20000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000b', 'Channel B', 'http://gw.test', 'inst-b');
insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext)
  select id, tenant_id, 'ciphertext-' || instance_name from public.channels;
insert into public.channel_status (channel_id, tenant_id, state)
  select id, tenant_id, 'connected' from public.channels;
insert into public.channel_actions (channel_id, tenant_id, kind, trigger, outcome)
  select id, tenant_id, 'reconnect', 'monitor', 'ok' from public.channels;
insert into public.monitor_runs (trigger, started_at, finished_at)
  values ('cron', '2026-01-15 11:59:58+00', '2026-01-15 12:00:00+00');

select is_empty($$
  select n.nspname || '.' || c.relname || ' to ' || r.rolname
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  cross join (values ('anon'), ('authenticated')) as r (rolname)
  where n.nspname = 'public' and c.relkind in ('r', 'p')
    and has_table_privilege(r.rolname, c.oid, 'TRUNCATE')
$$, 'no API role may TRUNCATE a public table (TRUNCATE ignores RLS)');

-- Viewer of tenant A.
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a1","role":"authenticated"}', true);
set local role authenticated;

select lives_ok($$ update public.channels set display_name = 'Renamed by viewer'
  where id = '20000000-0000-0000-0000-00000000000a' $$, 'viewer: updating a channel is filtered, not refused');
select is((select display_name from public.channels where id = '20000000-0000-0000-0000-00000000000a'),
  'Channel A', 'viewer: the channel keeps its name');
select lives_ok($$ delete from public.channels where id = '20000000-0000-0000-0000-00000000000a' $$,
  'viewer: deleting a channel is filtered, not refused');
select isnt_empty($$ select 1 from public.channels where id = '20000000-0000-0000-0000-00000000000a' $$,
  'viewer: the channel still exists');
select throws_ok($$ insert into public.channels (tenant_id, display_name, gateway_url, instance_name)
  values ('10000000-0000-0000-0000-00000000000a', 'Sneaky', 'http://gw.test', 'sneaky') $$,
  '42501', 'new row violates row-level security policy for table "channels"', 'viewer: cannot add a channel');
select throws_ok($$ insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, outcome)
  values ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'reconnect', 'manual',
  '30000000-0000-0000-0000-0000000000a1', 'ok') $$,
  '42501', 'new row violates row-level security policy for table "channel_actions"', 'viewer: cannot record an action');
select throws_ok($$ insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext)
  values ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'x') $$,
  '42501', 'new row violates row-level security policy for table "channel_secrets"', 'viewer: cannot write a secret');
select lives_ok($$ update public.channel_secrets set api_key_ciphertext = 'overwritten by viewer'
  where channel_id = '20000000-0000-0000-0000-00000000000a' $$, 'viewer: overwriting a secret is filtered, not refused');
select throws_ok($$ update public.channel_status set state = 'paused' $$,
  '42501', 'permission denied for view channel_status', 'viewer: cannot change a channel''s status');
select throws_ok($$ insert into public.channel_events (channel_id, tenant_id, to_state, source, occurred_at)
  values ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'connected', 'manual', now()) $$,
  '42501', 'permission denied for table channel_events', 'viewer: cannot forge a state transition');
select throws_ok($$ update public.tenants set name = 'Renamed' $$,
  '42501', 'permission denied for table tenants', 'viewer: cannot rename a tenant');
select throws_ok($$ update public.memberships set role = 'admin' $$,
  '42501', 'permission denied for table memberships', 'viewer: cannot promote themselves');
select throws_ok($$ insert into public.memberships (tenant_id, user_id, role)
  values ('10000000-0000-0000-0000-00000000000b', '30000000-0000-0000-0000-0000000000a1', 'admin') $$,
  '42501', 'permission denied for table memberships', 'viewer: cannot join another tenant');
select throws_ok($$ insert into public.platform_admins (user_id) values ('30000000-0000-0000-0000-0000000000a1') $$,
  '42501', 'permission denied for table platform_admins', 'viewer: cannot make themselves platform staff');
select throws_ok($$ delete from public.monitor_runs $$,
  '42501', 'permission denied for table monitor_runs', 'viewer: cannot erase monitor history');

-- Admin of tenant A.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a2","role":"authenticated"}', true);
set local role authenticated;

select lives_ok($$ update public.channels set check_interval_seconds = 60
  where id = '20000000-0000-0000-0000-00000000000a' $$, 'admin: may update their channel');
select is((select check_interval_seconds from public.channels where id = '20000000-0000-0000-0000-00000000000a'),
  60, 'admin: the update took effect');
select lives_ok($$ insert into public.channels (tenant_id, display_name, gateway_url, instance_name)
  values ('10000000-0000-0000-0000-00000000000a', 'Second A', 'http://gw.test', 'inst-a2') $$,
  'admin: may add a channel to their tenant');
select lives_ok($$ insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, outcome)
  values ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'restart', 'manual',
  '30000000-0000-0000-0000-0000000000a2', 'ok') $$, 'admin: may record their own manual action');
select throws_ok($$ insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, outcome)
  values ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'restart', 'monitor',
  null, 'ok') $$,
  '42501', 'new row violates row-level security policy for table "channel_actions"', 'admin: cannot pose as the monitor');
select throws_ok($$ insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, outcome)
  values ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'restart', 'manual',
  '30000000-0000-0000-0000-0000000000a1', 'ok') $$,
  '42501', 'new row violates row-level security policy for table "channel_actions"', 'admin: cannot act in another user''s name');
select throws_ok($$ update public.channel_actions set outcome = 'failed' $$,
  '42501', 'permission denied for table channel_actions', 'admin: the action log cannot be edited');
select throws_ok($$ delete from public.channel_actions $$,
  '42501', 'permission denied for table channel_actions', 'admin: the action log cannot be erased');
select throws_ok($$ update public.channels set tenant_id = '10000000-0000-0000-0000-00000000000b'
  where id = '20000000-0000-0000-0000-00000000000a' $$,
  '42501', 'new row violates row-level security policy for table "channels"', 'admin: cannot move a channel to another tenant');
select lives_ok($$ update public.channels set display_name = 'Renamed by admin A'
  where id = '20000000-0000-0000-0000-00000000000b' $$, 'admin: updating another tenant''s channel is filtered');
select lives_ok($$ delete from public.channels where id = '20000000-0000-0000-0000-00000000000b' $$,
  'admin: deleting another tenant''s channel is filtered');
select throws_ok($$ insert into public.channels (tenant_id, display_name, gateway_url, instance_name)
  values ('10000000-0000-0000-0000-00000000000b', 'Planted', 'http://gw.test', 'planted') $$,
  '42501', 'new row violates row-level security policy for table "channels"', 'admin: cannot add a channel to another tenant');
select throws_ok($$ insert into public.channel_actions (channel_id, tenant_id, kind, trigger, actor_user_id, outcome)
  values ('20000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000b', 'restart', 'manual',
  '30000000-0000-0000-0000-0000000000a2', 'ok') $$,
  '42501', 'new row violates row-level security policy for table "channel_actions"', 'admin: cannot act on another tenant''s channel');
select lives_ok($$ update public.channel_secrets set api_key_ciphertext = 'planted'
  where channel_id = '20000000-0000-0000-0000-00000000000b' $$, 'admin: overwriting another tenant''s secret is filtered');

-- Back on the service path: what the filtered statements above did not do.
reset role;

select is((select display_name from public.channels where id = '20000000-0000-0000-0000-00000000000b'),
  'Channel B', 'tenant B''s channel kept its name');
select results_eq($$ select channel_id::text, api_key_ciphertext from public.channel_secrets order by channel_id $$,
  $$ values ('20000000-0000-0000-0000-00000000000a', 'ciphertext-inst-a'),
            ('20000000-0000-0000-0000-00000000000b', 'ciphertext-inst-b') $$,
  'no secret was overwritten by a viewer or another tenant''s admin');
select results_eq($$ select kind, trigger, actor_user_id::text from public.channel_actions
  where tenant_id = '10000000-0000-0000-0000-00000000000a' order by id $$,
  $$ values ('reconnect', 'monitor', null), ('restart', 'manual', '30000000-0000-0000-0000-0000000000a2') $$,
  'tenant A''s action log holds the monitor''s action and the admin''s own, nothing else');

select * from finish();
rollback;
