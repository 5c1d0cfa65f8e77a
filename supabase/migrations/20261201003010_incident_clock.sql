-- What the incident step (lib/incidents) needs beyond the shared schema.
--
-- channel_status.down_since: when the channel last left service (connected, paused or never checked)
-- for a state in which it does not serve. Unlike `since` it does not move while the line goes from one
-- such state to another (disconnected → connecting → disconnected while the monitor reconnects), so a
-- grace period ("automatic repair has not brought the line back within 5 minutes") is measured from the
-- moment the line was lost, not from the last attempt. Kept by a trigger, whoever writes the status (a
-- pass, a webhook, a person); the WHEN clause keeps it off the path of checks that change nothing.
alter table public.channel_status add column down_since timestamptz;

create function public.channel_status_track_down_since() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not public.is_alerting_state(new.state) then
    new.down_since := null;
  elsif tg_op = 'INSERT' or not public.is_alerting_state(old.state) or old.down_since is null then
    new.down_since := new.since;
  else
    new.down_since := old.down_since;
  end if;
  return new;
end
$$;
revoke all on function public.channel_status_track_down_since() from public, anon, authenticated;

create trigger channel_status_track_down_since_insert before insert on public.channel_status
  for each row execute function public.channel_status_track_down_since();
create trigger channel_status_track_down_since_update before update on public.channel_status
  for each row when (new.state is distinct from old.state)
  execute function public.channel_status_track_down_since();

update public.channel_status set down_since = since where public.is_alerting_state(state);

-- The incident step runs after each pass's writes and never fails the pass: what went wrong is kept on
-- the run (shown to platform staff), and the next pass tries again.
alter table public.monitor_runs add column incidents_error text check (length(incidents_error) <= 1000);
