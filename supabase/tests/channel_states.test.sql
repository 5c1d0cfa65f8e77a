-- Channel states (20261202002000_blocked_restricted_states.sql): channel_status accepts the Cloud API's
-- `blocked` and `restricted` beside the others, and still refuses a state DESIGN.md does not name.
begin;
select plan(3);

insert into public.tenants (id, slug, name) values ('10000000-0000-0000-0000-0000000000c1', 'tenant-states', 'Tenant States');
insert into public.channels (id, tenant_id, provider, display_name, gateway_url, instance_name, waba_id) values
  ('20000000-0000-0000-0000-0000000000c1', '10000000-0000-0000-0000-0000000000c1', 'cloud-api', 'Cloud line', 'https://graph.facebook.test/v23.0', '1055', '4321');

-- channel_status is a view (20261202003000_quiet_checks.sql): an upsert goes to its table.
insert into public.channel_state (channel_id, tenant_id, state)
  values ('20000000-0000-0000-0000-0000000000c1', '10000000-0000-0000-0000-0000000000c1', 'blocked')
  on conflict (channel_id) do update set state = excluded.state;
select is((select state from public.channel_status where channel_id = '20000000-0000-0000-0000-0000000000c1'), 'blocked',
  'a number the provider refuses to send for is stored as blocked');
select lives_ok($$ update public.channel_status set state = 'restricted' where channel_id = '20000000-0000-0000-0000-0000000000c1' $$,
  'restricted is a state too');
select throws_ok($$ update public.channel_status set state = 'banned' where channel_id = '20000000-0000-0000-0000-0000000000c1' $$,
  '23514', null, 'a state DESIGN.md does not name is refused');

select * from finish();
rollback;
