-- One bad channel must never stop monitoring, and a killed pass costs at most one interval.

-- Why the monitor could not record a channel's last check (its write was refused, or the check itself
-- failed in a way nobody foresaw). Not a state: the channel keeps the state it had; platform staff see
-- this on /admin. Cleared by the next check that is recorded.
alter table public.channel_status add column monitor_error text, add column monitor_error_at timestamptz;

-- A running pass beats here every few seconds (lib/monitor/run-liveness.ts). A lease whose interval
-- has run out is still held while its pass beats; a pass that stopped beating and never finished was
-- killed, and the next pass closes it ("abandoned").
alter table public.monitor_runs add column heartbeat_at timestamptz;
create index monitor_runs_unfinished_idx on public.monitor_runs (started_at) where finished_at is null;

-- Only time zones PostgreSQL knows (the app validates with Intl as well). Not validated against rows
-- stored before: the monitor falls back to UTC for those, with a logged error.
create function public.is_time_zone(name text) returns boolean
language sql stable set search_path = '' as $$
  select exists (select 1 from pg_catalog.pg_timezone_names where pg_timezone_names.name = is_time_zone.name)
$$;
alter table public.tenants add constraint tenants_timezone_valid check (public.is_time_zone(timezone)) not valid;
