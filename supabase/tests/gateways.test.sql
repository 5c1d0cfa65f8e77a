-- Gateways: members read their own tenant's, platform staff read all, tenant admins write only their
-- own tenant's, and nobody signed in reads a gateway's global key. A key stays bound to where it was
-- entered: moving a channel or a gateway clears it, and only the service path lets a channel use its
-- gateway's global key.
begin;
select plan(26);

insert into auth.users (id, email) values
  ('30000000-0000-0000-0000-0000000000a1', 'viewer-a@example.test'),
  ('30000000-0000-0000-0000-0000000000a2', 'admin-a@example.test'),
  ('30000000-0000-0000-0000-0000000000ff', 'staff@example.test');
insert into public.tenants (id, slug, name) values
  ('10000000-0000-0000-0000-00000000000a', 'tenant-a', 'Tenant A'),
  ('10000000-0000-0000-0000-00000000000b', 'tenant-b', 'Tenant B');
insert into public.memberships (tenant_id, user_id, role) values
  ('10000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a1', 'viewer'),
  ('10000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a2', 'admin');
insert into public.platform_admins (user_id) values ('30000000-0000-0000-0000-0000000000ff');
insert into public.gateways (id, base_url, name, owner_tenant_id, global_key_ciphertext) values
  ('40000000-0000-0000-0000-00000000000a', 'http://gw.test', 'A''s gateway', '10000000-0000-0000-0000-00000000000a', 'global-a'),
  ('40000000-0000-0000-0000-00000000000b', 'http://gw.test', 'B''s gateway', '10000000-0000-0000-0000-00000000000b', 'global-b'),
  ('40000000-0000-0000-0000-0000000000ff', 'https://shared.gw.test', 'Platform gateway', null, 'global-p');
insert into public.channels (id, tenant_id, display_name, gateway_id, gateway_url, instance_name) values
  ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'Channel A',
   '40000000-0000-0000-0000-00000000000a', 'http://gw.test', 'inst-a'),
  ('20000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000b', 'Channel B',
   '40000000-0000-0000-0000-00000000000b', 'http://gw.test', 'inst-b');
insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext)
  select id, tenant_id, 'ciphertext-' || instance_name from public.channels;

select ok(not has_column_privilege('authenticated', 'public.gateways', 'global_key_ciphertext', 'SELECT'),
  'authenticated has no SELECT on global_key_ciphertext');
select ok(not has_table_privilege('anon', 'public.gateways', 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE'),
  'anon has no privilege on gateways');
select ok(not public.is_canonical_gateway_url('http://localhost:8080')
  and not public.is_canonical_gateway_url('http://127.1:8080') and not public.is_canonical_gateway_url('http://gw.test/')
  and public.is_canonical_gateway_url('http://127.0.0.1:8080'), 'only canonical gateway URLs are accepted');
select throws_ok($$ insert into public.gateways (base_url, name) values ('http://[::ffff:7f00:1]:8080', 'alias') $$,
  '23514', null, 'service path: an alias of loopback is refused');

-- Viewer of tenant A.
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a1","role":"authenticated"}', true);
set local role authenticated;

select results_eq($$ select id::text from public.gateways $$,
  $$ values ('40000000-0000-0000-0000-00000000000a') $$, 'viewer: sees their own tenant''s gateway only');
select throws_ok($$ select global_key_ciphertext from public.gateways $$,
  '42501', 'permission denied for table gateways', 'viewer: cannot read a global key');
select throws_ok($$ insert into public.gateways (base_url, name, owner_tenant_id)
  values ('http://viewer.gw.test', 'x', '10000000-0000-0000-0000-00000000000a') $$,
  '42501', 'new row violates row-level security policy for table "gateways"', 'viewer: cannot add a gateway');

-- Admin of tenant A.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a2","role":"authenticated"}', true);
set local role authenticated;

select results_eq($$ select id::text from public.gateways $$,
  $$ values ('40000000-0000-0000-0000-00000000000a') $$, 'admin: sees their own tenant''s gateway only');
select throws_ok($$ select * from public.gateways $$,
  '42501', 'permission denied for table gateways', 'admin: cannot select every column');
select throws_ok($$ select id from public.gateways where global_key_ciphertext like 'g%' $$,
  '42501', 'permission denied for table gateways', 'admin: cannot probe a global key through a filter');
select lives_ok($$ insert into public.gateways (base_url, name, owner_tenant_id)
  values ('https://own.gw.test', 'Own', '10000000-0000-0000-0000-00000000000a') $$, 'admin: may add a gateway to their tenant');
select throws_ok($$ insert into public.gateways (base_url, name, owner_tenant_id)
  values ('https://own.gw.test', 'Own', '10000000-0000-0000-0000-00000000000b') $$,
  '42501', 'new row violates row-level security policy for table "gateways"', 'admin: cannot add a gateway to another tenant');
select throws_ok($$ insert into public.gateways (base_url, name) values ('https://mine.gw.test', 'Platform?') $$,
  '42501', 'new row violates row-level security policy for table "gateways"', 'admin: cannot add a platform gateway');
select is_empty($$ update public.gateways set name = 'taken over'
  where id in ('40000000-0000-0000-0000-00000000000b', '40000000-0000-0000-0000-0000000000ff') returning id $$,
  'admin: changes no other tenant''s or platform gateway');
select is_empty($$ delete from public.gateways
  where id in ('40000000-0000-0000-0000-00000000000b', '40000000-0000-0000-0000-0000000000ff') returning id $$,
  'admin: deletes no other tenant''s or platform gateway');
select throws_ok($$ update public.gateways set global_key_ciphertext = 'again'
  where id = '40000000-0000-0000-0000-00000000000a' returning global_key_ciphertext $$,
  '42501', 'permission denied for table gateways', 'admin: cannot read a global key back through RETURNING');
select throws_ok($$ update public.channels set uses_gateway_key = true where id = '20000000-0000-0000-0000-00000000000a' $$,
  '42501', 'only the service path may let a channel use its gateway''s global key',
  'admin: cannot let a channel use the gateway''s global key');
select throws_ok($$ update public.channels set gateway_id = '40000000-0000-0000-0000-00000000000b'
  where id = '20000000-0000-0000-0000-00000000000a' $$,
  '42501', 'gateway 40000000-0000-0000-0000-00000000000b belongs to another tenant',
  'admin: cannot bind a channel to another tenant''s gateway');
select lives_ok($$ update public.channels set instance_name = 'inst-b-alias' where id = '20000000-0000-0000-0000-00000000000a' $$,
  'admin: may move their channel to another instance');
select throws_ok($$ update public.channels set gateway_url = 'http://LOCALHOST:80' where id = '20000000-0000-0000-0000-00000000000a' $$,
  '23514', null, 'admin: cannot store an alias of a gateway URL');
select lives_ok($$ update public.gateways set base_url = 'https://moved.gw.test' where id = '40000000-0000-0000-0000-00000000000a' $$,
  'admin: may move their gateway');

-- Platform staff: read every gateway, never a key.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000ff","role":"authenticated"}', true);
set local role authenticated;

select is((select count(*)::int from public.gateways), 4, 'platform admin: sees every gateway, platform ones included');
select throws_ok($$ select global_key_ciphertext from public.gateways $$,
  '42501', 'permission denied for table gateways', 'platform admin: cannot read a global key');

-- The service path: what the admin's moves did to the keys.
reset role;

select is((select api_key_ciphertext from public.channel_secrets where channel_id = '20000000-0000-0000-0000-00000000000a'),
  null, 'a channel moved to another instance has no stored key');
select results_eq($$ select g.global_key_ciphertext, c.gateway_url from public.gateways g
  join public.channels c on c.gateway_id = g.id where g.id = '40000000-0000-0000-0000-00000000000a' $$,
  $$ values (null::text, 'https://moved.gw.test') $$, 'a moved gateway loses its global key and takes its channels along');
select results_eq($$ select name, global_key_ciphertext from public.gateways order by name $$,
  $$ values ('A''s gateway', null::text), ('B''s gateway', 'global-b'), ('Own', null), ('Platform gateway', 'global-p') $$,
  'other gateways keep their names and keys');

select * from finish();
rollback;
