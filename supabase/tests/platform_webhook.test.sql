-- The platform's webhook kept as a channel's downstream: its sealed URL and headers are write-only for
-- tenant admins and bound to the downstream's origin; forwarded bodies (guests' messages) are readable
-- by nobody signed in, and admins see only how forwarding goes, for their own tenant.
begin;
select plan(17);

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
insert into public.channels (id, tenant_id, display_name, gateway_url, instance_name, webhook_downstream_url) values
  ('20000000-0000-0000-0000-00000000000a', '10000000-0000-0000-0000-00000000000a', 'Channel A', 'http://gw.test', 'inst-a',
   'https://platform.example/hook'),
  ('20000000-0000-0000-0000-00000000000b', '10000000-0000-0000-0000-00000000000b', 'Channel B', 'http://gw.test', 'inst-b', null);
insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext, downstream_url_ciphertext, downstream_headers_ciphertext)
  select id, tenant_id, 'key', 'sealed-url', 'sealed-headers' from public.channels;
insert into public.channel_status (channel_id, tenant_id, webhook_checked_at)
  select id, tenant_id, now() from public.channels;
insert into public.webhook_forwards (channel_id, tenant_id, dedupe_key, body, next_attempt_at, created_at, failed_at)
  select id, tenant_id, 'k1', convert_to('{"event":"messages.upsert"}', 'UTF8'), now(), now(), null from public.channels
  union all
  select id, tenant_id, 'k2', convert_to('{"event":"messages.upsert"}', 'UTF8'), now(), now(), now() from public.channels;

select is((select webhook_mode from public.channels where instance_name = 'inst-a'), 'adopt', 'channels adopt the platform''s webhook by default');
select ok(not has_column_privilege('authenticated', 'public.channel_secrets', 'downstream_url_ciphertext', 'SELECT'),
  'authenticated has no SELECT on the sealed downstream URL');
select ok(not has_column_privilege('authenticated', 'public.channel_secrets', 'downstream_headers_ciphertext', 'SELECT'),
  'authenticated has no SELECT on the sealed downstream headers');
select ok(not has_column_privilege('authenticated', 'public.webhook_forwards', 'body', 'SELECT'),
  'authenticated has no SELECT on forwarded bodies');
select ok(not has_table_privilege('anon', 'public.webhook_forwards', 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE'),
  'anon has no privilege on webhook_forwards');
select ok(not has_table_privilege('authenticated', 'public.webhook_forwards', 'INSERT,UPDATE,DELETE,TRUNCATE'),
  'users never write webhook_forwards');

-- The binding, on the service path.
update public.channels set webhook_downstream_url = 'https://platform.example/other-path'
  where id = '20000000-0000-0000-0000-00000000000a';
select is((select downstream_url_ciphertext from public.channel_secrets where channel_id = '20000000-0000-0000-0000-00000000000a'),
  'sealed-url', 'a new path on the same origin keeps the sealed downstream');
select is((select webhook_checked_at from public.channel_status where channel_id = '20000000-0000-0000-0000-00000000000a'),
  null, 'a changed downstream makes the next pass read the gateway''s webhook again');
update public.channels set webhook_downstream_url = 'https://attacker.example/other-path'
  where id = '20000000-0000-0000-0000-00000000000a';
select results_eq($$ select downstream_url_ciphertext, downstream_headers_ciphertext from public.channel_secrets
  where channel_id = '20000000-0000-0000-0000-00000000000a' $$, $$ values (null::text, null::text) $$,
  'moving the downstream to another origin drops its sealed URL and headers');
update public.channels set webhook_mode = 'off', webhook_mode_reason = 'base64: media' where id = '20000000-0000-0000-0000-00000000000b';
update public.channels set webhook_mode = 'adopt' where id = '20000000-0000-0000-0000-00000000000b';
select is((select webhook_mode_reason from public.channels where id = '20000000-0000-0000-0000-00000000000b'), null,
  'the reason for mode off is cleared when the mode changes');

-- Admin of tenant A.
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a2","role":"authenticated"}', true);
set local role authenticated;

select throws_ok($$ select downstream_url_ciphertext from public.channel_secrets $$,
  '42501', 'permission denied for table channel_secrets', 'admin: cannot read the sealed downstream back');
select lives_ok($$ update public.channel_secrets set downstream_url_ciphertext = 'typed-by-admin',
  downstream_headers_ciphertext = 'typed-headers' where channel_id = '20000000-0000-0000-0000-00000000000a' $$,
  'admin: may write the sealed downstream');
select lives_ok($$ update public.channels set webhook_downstream_url = 'https://elsewhere.example/hook'
  where id = '20000000-0000-0000-0000-00000000000a' $$, 'admin: may move the downstream');
select results_eq($$ select count(*)::int, count(*) filter (where failed_at is not null)::int from public.webhook_forwards $$,
  $$ values (2, 1) $$, 'admin: sees their own channel''s forwards (pending and failed), and only those');
select throws_ok($$ select body from public.webhook_forwards $$,
  '42501', 'permission denied for table webhook_forwards', 'admin: cannot read forwarded bodies');

-- Viewer of tenant A.
reset role;
select set_config('request.jwt.claims', '{"sub":"30000000-0000-0000-0000-0000000000a1","role":"authenticated"}', true);
set local role authenticated;
select is_empty($$ select id from public.webhook_forwards $$, 'viewer: sees no forwards');

-- The move as the admin dropped what was sealed for the old origin.
reset role;
select results_eq($$ select downstream_url_ciphertext, downstream_headers_ciphertext from public.channel_secrets
  where channel_id = '20000000-0000-0000-0000-00000000000a' $$, $$ values (null::text, null::text) $$,
  'a move by an admin drops the sealed downstream too, whatever was written before it');

select * from finish();
rollback;
