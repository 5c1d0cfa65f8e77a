-- Gateway API keys: nobody signed in reads a ciphertext, whatever their role; tenant admins may
-- address and rotate their own tenant's secrets without reading them back; the service path reads them.
begin;
select plan(18);

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
insert into public.channels (id, tenant_id, display_name, gateway_url, instance_name) values
  ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'Channel A', 'http://gw.test', 'inst-a'),
  ('20000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000b', 'Channel B', 'http://gw.test', 'inst-b');
insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext, webhook_secret_ciphertext)
  select id, tenant_id, 'ciphertext-' || instance_name, 'webhook-' || instance_name from public.channels;

select ok(not has_column_privilege('authenticated', 'public.channel_secrets', 'api_key_ciphertext', 'SELECT'),
  'authenticated has no SELECT on api_key_ciphertext');
select ok(not has_column_privilege('authenticated', 'public.channel_secrets', 'webhook_secret_ciphertext', 'SELECT'),
  'authenticated has no SELECT on webhook_secret_ciphertext');
select ok(not has_table_privilege('anon', 'public.channel_secrets', 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE'),
  'anon has no privilege on channel_secrets');

-- Viewer of tenant A.
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a1","role":"authenticated"}', true);
set local role authenticated;

select throws_ok($$ select api_key_ciphertext from public.channel_secrets $$,
  '42501', 'permission denied for table channel_secrets', 'viewer: cannot read API keys');
select throws_ok($$ select webhook_secret_ciphertext from public.channel_secrets $$,
  '42501', 'permission denied for table channel_secrets', 'viewer: cannot read webhook secrets');
select is_empty($$ select channel_id from public.channel_secrets $$, 'viewer: does not even see which secrets exist');

-- Admin of tenant A.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a2","role":"authenticated"}', true);
set local role authenticated;

select throws_ok($$ select api_key_ciphertext from public.channel_secrets $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot read API keys');
select throws_ok($$ select * from public.channel_secrets $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot select every column');
select throws_ok($$ select s::text from public.channel_secrets s $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot read the whole row as a value');
select throws_ok($$ select channel_id from public.channel_secrets where api_key_ciphertext like 'c%' $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot probe API keys through a filter');
select results_eq($$ select channel_id::text, tenant_id::text from public.channel_secrets $$,
  $$ values ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a') $$,
  'admin: sees the keys of their own tenant''s secrets, and only those');
select lives_ok($$ update public.channel_secrets set api_key_ciphertext = 'rotated-by-admin', updated_at = now()
  where channel_id = '20000000-0000-0000-0000-00000000000a' $$, 'admin: may rotate their channel''s API key');
select throws_ok($$ update public.channel_secrets set api_key_ciphertext = 'again'
  where channel_id = '20000000-0000-0000-0000-00000000000a' returning api_key_ciphertext $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot read a key back through RETURNING');

-- Platform staff: trusted with every tenant's data, still not with gateway keys.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000ff","role":"authenticated"}', true);
set local role authenticated;

select throws_ok($$ select api_key_ciphertext from public.channel_secrets $$,
  '42501', 'permission denied for table channel_secrets', 'platform admin: cannot read API keys');
select is_empty($$ select channel_id from public.channel_secrets $$, 'platform admin: sees no secret rows');

-- Anonymous.
reset role;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
set local role anon;

select throws_ok($$ select channel_id from public.channel_secrets $$,
  '42501', 'permission denied for table channel_secrets', 'anon: cannot touch channel_secrets');

-- The service path.
reset role;

select results_eq($$ select api_key_ciphertext from public.channel_secrets order by channel_id $$,
  $$ values ('rotated-by-admin'), ('ciphertext-inst-b') $$,
  'service path: reads every API key, including the one the admin rotated');
select results_eq($$ select webhook_secret_ciphertext from public.channel_secrets order by channel_id $$,
  $$ values ('webhook-inst-a'), ('webhook-inst-b') $$, 'service path: reads webhook secrets');

select * from finish();
rollback;
