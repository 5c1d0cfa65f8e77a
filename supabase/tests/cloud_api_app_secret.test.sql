-- The Cloud API's app secret (20261202005000_cloud_api_app_secret.sql): a secret like the API key,
-- written by tenant admins and read by nobody signed in; kept when the channel moves (it is never sent
-- anywhere, it only verifies what Meta delivers).
begin;
select plan(6);

insert into auth.users (id, email) values ('30000000-0000-0000-0000-0000000000c2', 'admin-c@example.test');
insert into public.tenants (id, slug, name) values ('10000000-0000-0000-0000-00000000000c', 'tenant-c', 'Tenant C');
insert into public.memberships (tenant_id, user_id, role) values
  ('10000000-0000-0000-0000-00000000000c', '30000000-0000-0000-0000-0000000000c2', 'admin');
insert into public.channels (id, tenant_id, provider, display_name, gateway_url, instance_name, waba_id) values
  ('20000000-0000-0000-0000-00000000000c', '10000000-0000-0000-0000-00000000000c', 'cloud-api', 'Cloud line',
    'https://graph.facebook.test/v23.0', '1055', '4321');
insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext, app_secret_ciphertext)
  values ('20000000-0000-0000-0000-00000000000c', '10000000-0000-0000-0000-00000000000c', 'key-1055', 'app-1055');

select ok(not has_column_privilege('authenticated', 'public.channel_secrets', 'app_secret_ciphertext', 'SELECT')
  and has_column_privilege('authenticated', 'public.channel_secrets', 'app_secret_ciphertext', 'UPDATE')
  and has_column_privilege('authenticated', 'public.channel_secrets', 'app_secret_ciphertext', 'INSERT'),
  'authenticated may write an app secret, never read one');

select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000c2","role":"authenticated"}', true);
set local role authenticated;

select throws_ok($$ select app_secret_ciphertext from public.channel_secrets $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot read an app secret');
select throws_ok($$ select channel_id from public.channel_secrets where app_secret_ciphertext like 'a%' $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot probe an app secret through a filter');
select lives_ok($$ update public.channel_secrets set app_secret_ciphertext = 'typed-by-admin'
  where channel_id = '20000000-0000-0000-0000-00000000000c' $$, 'admin: may replace the app secret');
select lives_ok($$ update public.channels set instance_name = '1056' where id = '20000000-0000-0000-0000-00000000000c' $$,
  'admin: may move the channel to another number');

reset role;
select results_eq($$ select api_key_ciphertext, app_secret_ciphertext from public.channel_secrets
  where channel_id = '20000000-0000-0000-0000-00000000000c' $$,
  $$ values (null::text, 'typed-by-admin'::text) $$, 'a move clears the key sent to the gateway and keeps the app secret');

select * from finish();
rollback;
