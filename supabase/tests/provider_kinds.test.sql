-- Gateway kinds (20261202000100_provider_kinds.sql): a gateway is one server of one kind, a channel's kind
-- is its gateway's, the Z-API client token is a secret like the API key (written by admins, read by nobody
-- signed in, cleared with the key when the channel moves), and the WABA id belongs to Cloud API channels.
begin;
select plan(12);

insert into auth.users (id, email) values ('30000000-0000-0000-0000-0000000000a2', 'admin-a@example.test');
insert into public.tenants (id, slug, name) values ('10000000-0000-0000-0000-00000000000a', 'tenant-a', 'Tenant A');
insert into public.memberships (tenant_id, user_id, role) values
  ('10000000-0000-0000-0000-00000000000a', '30000000-0000-0000-0000-0000000000a2', 'admin');
insert into public.channels (id, tenant_id, provider, display_name, gateway_url, instance_name) values
  ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'zapi', 'Z-API line', 'https://api.z-api.test', 'inst-a'),
  ('20000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000a', 'evolution', 'Evolution line', 'https://api.z-api.test', 'inst-b');
insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext, client_token_ciphertext)
  select id, tenant_id, 'key-' || instance_name, case when provider = 'zapi' then 'client-' || instance_name end from public.channels;

select results_eq($$ select g.provider, count(*)::int from public.gateways g group by g.provider order by 1 $$,
  $$ values ('evolution', 1), ('zapi', 1) $$, 'one URL, two kinds: two gateways, each channel bound to its own kind''s');
select throws_ok($$ insert into public.channels (tenant_id, provider, display_name, gateway_url, instance_name)
  values ('10000000-0000-0000-0000-00000000000a', 'telegram', 'x', 'https://t.test', 'x') $$,
  '23514', null, 'an unknown kind is refused');
select throws_ok($$ update public.channels set waba_id = '123456' where id = '20000000-0000-0000-0000-00000000000a' $$,
  '23514', null, 'a WABA id only on a Cloud API channel');
select lives_ok($$ insert into public.channels (tenant_id, provider, display_name, gateway_url, instance_name, waba_id)
  values ('10000000-0000-0000-0000-00000000000a', 'cloud-api', 'Cloud line', 'https://graph.facebook.test/v23.0', '1055', '4321') $$,
  'a Cloud API channel keeps its WABA id in a plain column');
select ok(not has_column_privilege('authenticated', 'public.channel_secrets', 'client_token_ciphertext', 'SELECT')
  and has_column_privilege('authenticated', 'public.channel_secrets', 'client_token_ciphertext', 'UPDATE'),
  'authenticated may write a client token, never read one');

-- Admin of tenant A.
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a2","role":"authenticated"}', true);
set local role authenticated;

select throws_ok($$ select client_token_ciphertext from public.channel_secrets $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot read a client token');
select throws_ok($$ select channel_id from public.channel_secrets where client_token_ciphertext like 'c%' $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot probe a client token through a filter');
select lives_ok($$ update public.channels set instance_name = 'inst-a2' where id = '20000000-0000-0000-0000-00000000000a' $$,
  'admin: may move their Z-API channel to another instance');
select lives_ok($$ update public.channels set provider = 'waha' where id = '20000000-0000-0000-0000-00000000000b' $$,
  'admin: may change their channel''s kind (it is bound to the tenant''s gateway of that kind)');

-- The service path: what the moves did.
reset role;

select results_eq($$ select api_key_ciphertext, client_token_ciphertext from public.channel_secrets
  where channel_id = '20000000-0000-0000-0000-00000000000a' $$,
  $$ values (null::text, null::text) $$, 'a moved channel has neither its key nor its client token');
select results_eq($$ select c.provider, g.provider, s.api_key_ciphertext from public.channels c
  join public.gateways g on g.id = c.gateway_id join public.channel_secrets s on s.channel_id = c.id
  where c.id = '20000000-0000-0000-0000-00000000000b' $$,
  $$ values ('waha', 'waha', null::text) $$, 'a new kind is a new gateway, and the key entered for the old one is gone');
select is((select count(*)::int from public.gateways where base_url = 'https://api.z-api.test'), 3,
  'the same URL now has an evolution, a zapi and a waha gateway');

select * from finish();
rollback;
