-- Incidents and alerts under RLS: tenant isolation for incidents, their channels, contacts and the
-- outbox; admins acknowledge in their own name and manage contacts; contact secrets are write-only;
-- everything else is the service path's.
begin;
select plan(49);

insert into auth.users (id, email) values
  ('30000000-0000-0000-0000-0000000000a1', 'viewer-a@example.test'),
  ('30000000-0000-0000-0000-0000000000a2', 'admin-a@example.test'),
  ('30000000-0000-0000-0000-0000000000b2', 'admin-b@example.test'),
  ('30000000-0000-0000-0000-0000000000ff', 'staff@example.test');
insert into public.tenants (id, slug, name) values
  ('10000000-0000-0000-0000-00000000000a', 'tenant-a', 'Tenant A'),
  ('10000000-0000-0000-0000-00000000000b', 'tenant-b', 'Tenant B');
insert into public.memberships (tenant_id, user_id, role) values
  ('10000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a1', 'viewer'),
  ('10000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a2', 'admin'),
  ('10000000-0000-0000-0000-00000000000b', '30000000-0000-0000-0000-0000000000b2', 'admin');
insert into public.platform_admins (user_id) values ('30000000-0000-0000-0000-0000000000ff');
insert into public.channels (id, tenant_id, display_name, gateway_url, instance_name) values
  ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'Channel A', 'http://gw.test', 'inst-a'),
  ('20000000-0000-0000-0000-0000000000a2', '10000000-0000-0000-0000-00000000000a', 'Channel A2', 'http://gw.test', 'inst-a2'),
  ('20000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000b', 'Channel B', 'http://gw.test', 'inst-b');
insert into public.incidents (id, tenant_id, kind, channel_id, state, states_seen, opened_at) values
  ('40000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'channel',
   '20000000-0000-0000-0000-00000000000a', 'needs_qr', '{needs_qr}', '2026-01-15 12:00:00+00'),
  ('40000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000b', 'channel',
   '20000000-0000-0000-0000-00000000000b', 'needs_qr', '{needs_qr}', '2026-01-15 12:00:00+00');
insert into public.incident_channels (incident_id, channel_id, tenant_id, joined_at, state)
  select id, channel_id, tenant_id, opened_at, state from public.incidents;
insert into public.alert_contacts (id, tenant_id, name, kind, target) values
  ('50000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'Ops A', 'email', 'ops@a.test'),
  ('50000000-0000-0000-0000-0000000000aa', '10000000-0000-0000-0000-00000000000a', 'Hook A', 'webhook', null),
  ('50000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000b', 'Ops B', 'email', 'ops@b.test');
insert into public.alert_contact_secrets (contact_id, tenant_id, url_ciphertext, signing_secret_ciphertext) values
  ('50000000-0000-0000-0000-0000000000aa', '10000000-0000-0000-0000-00000000000a', 'sealed-url', 'sealed-secret');
insert into public.alert_outbox (tenant_id, incident_id, contact_id, kind) values
  ('10000000-0000-0000-0000-00000000000a', '40000000-0000-0000-0000-00000000000a', '50000000-0000-0000-0000-00000000000a', 'opened'),
  ('10000000-0000-0000-0000-00000000000b', '40000000-0000-0000-0000-00000000000b', '50000000-0000-0000-0000-00000000000b', 'opened');

-- The schema's own guarantees (service path).
select throws_ok($$ insert into public.incidents (tenant_id, kind, channel_id, state, states_seen, opened_at)
  values ('10000000-0000-0000-0000-00000000000a', 'channel', '20000000-0000-0000-0000-00000000000a', 'disconnected',
  '{disconnected}', now()) $$, '23505', null, 'a channel has at most one open channel incident');
select throws_ok($$ insert into public.incident_channels (incident_id, channel_id, tenant_id, joined_at, state)
  values ('40000000-0000-0000-0000-00000000000a', '20000000-0000-0000-0000-00000000000a',
  '10000000-0000-0000-0000-00000000000a', now(), 'needs_qr') $$, '23505', null,
  'a channel is an active member of at most one incident');
select is((select count(*)::int from public.alert_outbox), 2, 'set-up: two outbox rows');
select lives_ok($$ insert into public.alert_outbox (tenant_id, incident_id, contact_id, kind)
  values ('10000000-0000-0000-0000-00000000000a', '40000000-0000-0000-0000-00000000000a',
  '50000000-0000-0000-0000-00000000000a', 'opened') on conflict do nothing $$, 'a repeated outbox row is ignored');
select is((select count(*)::int from public.alert_outbox), 2, 'the unique key keeps one row per (incident, contact, kind, seq)');
select throws_ok($$ insert into public.alert_outbox (tenant_id, incident_id, contact_id, kind)
  values ('10000000-0000-0000-0000-00000000000a', '40000000-0000-0000-0000-00000000000a',
  '50000000-0000-0000-0000-00000000000b', 'opened') $$, '23503', null,
  'an outbox row''s contact belongs to its tenant');
select throws_ok($$ update public.tenants set alert_sender_channel_id = '20000000-0000-0000-0000-00000000000b'
  where id = '10000000-0000-0000-0000-00000000000a' $$, '23503', null,
  'the alert sender is one of the tenant''s own channels');
select throws_ok($$ insert into public.alert_contacts (tenant_id, name, kind, target)
  values ('10000000-0000-0000-0000-00000000000a', 'Bad', 'whatsapp', 'not-a-phone') $$, '23514', null,
  'a WhatsApp contact needs an E.164 phone');

select ok(not has_column_privilege('authenticated', 'public.alert_contact_secrets', 'url_ciphertext', 'SELECT'),
  'authenticated has no SELECT on url_ciphertext');
select ok(not has_column_privilege('authenticated', 'public.alert_contact_secrets', 'signing_secret_ciphertext', 'SELECT'),
  'authenticated has no SELECT on signing_secret_ciphertext');
select is_empty($$
  select c.relname || ' to ' || r.rolname
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  cross join (values ('anon'), ('authenticated')) as r (rolname)
  where n.nspname = 'public'
    and c.relname in ('incidents', 'incident_channels', 'alert_contacts', 'alert_contact_secrets', 'alert_outbox')
    and (has_table_privilege(r.rolname, c.oid, 'TRUNCATE')
      or (r.rolname = 'anon' and has_any_column_privilege(r.rolname, c.oid, 'SELECT,INSERT,UPDATE')))
$$, 'anon has nothing on the new tables, nobody may TRUNCATE them');

-- Viewer of tenant A.
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a1","role":"authenticated"}', true);
set local role authenticated;

select results_eq($$ select id::text from public.incidents $$,
  $$ values ('40000000-0000-0000-0000-00000000000a') $$, 'viewer: sees their tenant''s incidents only');
select results_eq($$ select incident_id::text from public.incident_channels $$,
  $$ values ('40000000-0000-0000-0000-00000000000a') $$, 'viewer: sees their tenant''s incident channels only');
select results_eq($$ select id::text from public.alert_contacts order by id $$,
  $$ values ('50000000-0000-0000-0000-00000000000a'), ('50000000-0000-0000-0000-0000000000aa') $$,
  'viewer: sees who is alerted in their tenant only');
select results_eq($$ select contact_id::text from public.alert_outbox $$,
  $$ values ('50000000-0000-0000-0000-00000000000a') $$, 'viewer: sees what was sent in their tenant only');
select is_empty($$ select contact_id from public.alert_contact_secrets $$, 'viewer: does not see which secrets exist');
select lives_ok($$ update public.incidents set acknowledged_at = now(),
  acknowledged_by = '30000000-0000-0000-0000-0000000000a1' $$, 'viewer: acknowledging is filtered, not refused');
select is((select count(*)::int from public.incidents where acknowledged_at is not null), 0,
  'viewer: nothing was acknowledged');
select throws_ok($$ insert into public.alert_contacts (tenant_id, name, kind, target)
  values ('10000000-0000-0000-0000-00000000000a', 'Sneaky', 'email', 'x@a.test') $$,
  '42501', 'new row violates row-level security policy for table "alert_contacts"', 'viewer: cannot add a contact');
select throws_ok($$ insert into public.alert_outbox (tenant_id, contact_id, kind)
  values ('10000000-0000-0000-0000-00000000000a', '50000000-0000-0000-0000-00000000000a', 'test') $$,
  '42501', 'new row violates row-level security policy for table "alert_outbox"', 'viewer: cannot queue a test alert');
select lives_ok($$ update public.tenants set reminder_hours = 1 where id = '10000000-0000-0000-0000-00000000000a' $$,
  'viewer: changing the reminder interval is filtered, not refused');
select is((select reminder_hours from public.tenants where id = '10000000-0000-0000-0000-00000000000a'), 4,
  'viewer: reminder interval is the default 4 hours');

-- Admin of tenant A.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a2","role":"authenticated"}', true);
set local role authenticated;

select throws_ok($$ select url_ciphertext from public.alert_contact_secrets $$,
  '42501', 'permission denied for table alert_contact_secrets', 'admin: cannot read a webhook URL back');
select throws_ok($$ select s::text from public.alert_contact_secrets s $$,
  '42501', 'permission denied for table alert_contact_secrets', 'admin: cannot read a secret row as a value');
select results_eq($$ select contact_id::text from public.alert_contact_secrets $$,
  $$ values ('50000000-0000-0000-0000-0000000000aa') $$, 'admin: addresses their own tenant''s secrets');
select lives_ok($$ update public.alert_contact_secrets set signing_secret_ciphertext = 'rotated', updated_at = now()
  where contact_id = '50000000-0000-0000-0000-0000000000aa' $$, 'admin: may rotate a signing secret');
select throws_ok($$ update public.alert_contact_secrets set url_ciphertext = 'again'
  where contact_id = '50000000-0000-0000-0000-0000000000aa' returning url_ciphertext $$,
  '42501', 'permission denied for table alert_contact_secrets', 'admin: cannot read a URL back through RETURNING');
select throws_ok($$ update public.incidents set acknowledged_at = now(),
  acknowledged_by = '30000000-0000-0000-0000-0000000000a1' where id = '40000000-0000-0000-0000-00000000000a' $$,
  '42501', 'new row violates row-level security policy for table "incidents"',
  'admin: cannot acknowledge in someone else''s name');
select throws_ok($$ update public.incidents set resolved_at = now() where id = '40000000-0000-0000-0000-00000000000a' $$,
  '42501', 'permission denied for table incidents', 'admin: cannot resolve an incident by hand');
select lives_ok($$ update public.incidents set acknowledged_at = now(),
  acknowledged_by = '30000000-0000-0000-0000-0000000000a2' $$, 'admin: acknowledges');
select results_eq($$ select id::text, acknowledged_by::text from public.incidents where acknowledged_at is not null $$,
  $$ values ('40000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a2') $$,
  'admin: acknowledged their own tenant''s incident only, in their own name');
select throws_ok($$ insert into public.incidents (tenant_id, kind, channel_id, state, states_seen, opened_at)
  values ('10000000-0000-0000-0000-00000000000a', 'channel', '20000000-0000-0000-0000-0000000000a2', 'needs_qr',
  '{needs_qr}', now()) $$, '42501', 'permission denied for table incidents', 'admin: cannot open an incident');
select lives_ok($$ insert into public.alert_contacts (tenant_id, name, kind, target, states)
  values ('10000000-0000-0000-0000-00000000000a', 'On call', 'whatsapp', '+5511999990000', '{needs_qr}') $$,
  'admin: adds a contact');
select throws_ok($$ insert into public.alert_contacts (tenant_id, name, kind, target)
  values ('10000000-0000-0000-0000-00000000000b', 'Spy', 'email', 'spy@a.test') $$,
  '42501', 'new row violates row-level security policy for table "alert_contacts"',
  'admin: cannot add a contact to another tenant');
select lives_ok($$ delete from public.alert_contacts where id = '50000000-0000-0000-0000-00000000000b' $$,
  'admin: deleting another tenant''s contact is filtered, not refused');
select lives_ok($$ insert into public.alert_outbox (tenant_id, contact_id, kind)
  values ('10000000-0000-0000-0000-00000000000a', '50000000-0000-0000-0000-00000000000a', 'test') $$,
  'admin: queues a test alert for their contact');
select throws_ok($$ insert into public.alert_outbox (tenant_id, incident_id, contact_id, kind)
  values ('10000000-0000-0000-0000-00000000000a', '40000000-0000-0000-0000-00000000000a',
  '50000000-0000-0000-0000-00000000000a', 'reminder') $$,
  '42501', 'permission denied for table alert_outbox', 'admin: cannot queue an incident message');
select throws_ok($$ insert into public.alert_outbox (tenant_id, contact_id, kind)
  values ('10000000-0000-0000-0000-00000000000a', '50000000-0000-0000-0000-00000000000a', 'opened') $$,
  '42501', 'new row violates row-level security policy for table "alert_outbox"', 'admin: queues only test alerts');
select throws_ok($$ update public.alert_outbox set status = 'sent' $$,
  '42501', 'permission denied for table alert_outbox', 'admin: cannot mark outbox rows');
select lives_ok($$ update public.tenants set reminder_hours = 2, alert_sender_channel_id = '20000000-0000-0000-0000-0000000000a2'
  where id = '10000000-0000-0000-0000-00000000000a' $$, 'admin: sets the reminder interval and alert sender');
select throws_ok($$ update public.tenants set name = 'Renamed' where id = '10000000-0000-0000-0000-00000000000a' $$,
  '42501', 'permission denied for table tenants', 'admin: changes nothing else of the tenant');

-- Admin of tenant B.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000b2","role":"authenticated"}', true);
set local role authenticated;

select lives_ok($$ update public.tenants set reminder_hours = 99 where id = '10000000-0000-0000-0000-00000000000a' $$,
  'other admin: updating tenant A is filtered');
select lives_ok($$ update public.incidents set acknowledged_at = now(),
  acknowledged_by = '30000000-0000-0000-0000-0000000000b2' where id = '40000000-0000-0000-0000-00000000000a' $$,
  'other admin: acknowledging tenant A''s incident is filtered');
select is_empty($$ select 1 from public.alert_outbox where tenant_id = '10000000-0000-0000-0000-00000000000a' $$,
  'other admin: sees nothing of tenant A''s outbox');

select is_empty($$ select * from public.incident_acknowledgers('10000000-0000-0000-0000-00000000000a') $$,
  'other admin: learns nobody''s e-mail from another tenant''s acknowledgements');

-- Platform staff read every tenant, still never a secret.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000ff","role":"authenticated"}', true);
set local role authenticated;
select is((select count(*)::int from public.incidents), 2, 'platform admin: reads every tenant''s incidents');
select throws_ok($$ select signing_secret_ciphertext from public.alert_contact_secrets $$,
  '42501', 'permission denied for table alert_contact_secrets', 'platform admin: cannot read signing secrets');

select results_eq($$ select email from public.incident_acknowledgers('10000000-0000-0000-0000-00000000000a') $$,
  $$ values ('admin-a@example.test') $$, 'platform admin: sees who acknowledged');

reset role;
select results_eq($$ select reminder_hours, alert_sender_channel_id::text, acknowledged_by::text
  from public.tenants t join public.incidents i on i.tenant_id = t.id where t.id = '10000000-0000-0000-0000-00000000000a' $$,
  $$ values (2, '20000000-0000-0000-0000-0000000000a2', '30000000-0000-0000-0000-0000000000a2') $$,
  'what tenant A''s admin wrote stayed; nobody else''s writes landed');

select * from finish();
rollback;
