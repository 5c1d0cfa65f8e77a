-- Supabase grants every new table and function in `public` to anon and authenticated by default
-- (including TRUNCATE, which ignores RLS). Sentinela grants exactly what each role needs, in the files
-- that create the objects; this takes the rest back, and stops the defaults for what comes later.
-- On plain PostgreSQL nothing was granted, so this changes nothing there.

alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke execute on functions from anon, authenticated;

revoke all on all tables in schema public from anon;
revoke all on all sequences in schema public from anon;
revoke execute on all functions in schema public from anon;
revoke truncate, references, trigger on all tables in schema public from authenticated;

-- Written only by the service path (the monitor, the CLI) or through security-definer functions.
revoke insert, update, delete on
  public.tenants, public.memberships, public.platform_admins, public.channel_status, public.channel_events,
  public.channel_checks, public.channel_uptime_hourly, public.channel_uptime_daily, public.monitor_runs
  from authenticated;
-- The audit log is append-only for users.
revoke update, delete on public.channel_actions from authenticated;
