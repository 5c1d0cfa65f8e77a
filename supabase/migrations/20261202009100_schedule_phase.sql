-- A new channel's live-read phase (channel_schedule.listed_checks, 20261202003000_quiet_checks.sql) from
-- its id's hash: abs() of the one hash value with no positive counterpart (-2147483648) raised
-- "integer out of range" and refused that channel's status row. Taken in bigint, every hash has a phase.
create or replace function public.channel_state_add_schedule() returns trigger
language plpgsql set search_path = '' as $$
begin
  insert into public.channel_schedule (channel_id, listed_checks)
  values (new.channel_id, abs(pg_catalog.hashtext(new.channel_id::text)::bigint) % 10)
  on conflict (channel_id) do nothing;
  return null;
end
$$;
revoke all on function public.channel_state_add_schedule() from public, anon, authenticated;
