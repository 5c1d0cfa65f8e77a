-- Calls the monitor every 30 s from the database itself, where pg_cron (≥ 1.5 for sub-minute
-- schedules) and pg_net are available, as on Supabase. Elsewhere this is skipped with a notice: use
-- Vercel Cron (vercel.json) or `sentinela monitor --every 30s`.
-- The app URL and CRON_SECRET are read at call time from Supabase Vault (names below), so no secret
-- lives in a migration:
--   select vault.create_secret('https://your-app.example.com', 'sentinela_app_url');
--   select vault.create_secret('<CRON_SECRET>', 'sentinela_cron_secret');

do $outer$
begin
  if not exists (select 1 from pg_available_extensions where name = 'pg_cron')
     or not exists (select 1 from pg_available_extensions where name = 'pg_net') then
    raise notice 'pg_cron or pg_net is not available here: the monitor schedule is skipped';
    return;
  end if;
  begin
    create extension if not exists pg_cron;
    create extension if not exists pg_net;
  exception when others then
    raise notice 'pg_cron/pg_net could not be enabled (%): the monitor schedule is skipped', sqlerrm;
    return;
  end;

  create schema if not exists sentinela_private;
  revoke all on schema sentinela_private from public;

  execute $fn$
    create or replace function sentinela_private.call_monitor() returns bigint
    language plpgsql security definer set search_path = '' as $body$
    declare
      app_url text;
      secret text;
    begin
      select decrypted_secret into app_url from vault.decrypted_secrets where name = 'sentinela_app_url';
      select decrypted_secret into secret from vault.decrypted_secrets where name = 'sentinela_cron_secret';
      if app_url is null or secret is null then
        raise warning 'sentinela: vault secrets sentinela_app_url / sentinela_cron_secret are not set';
        return null;
      end if;
      return net.http_post(
        url := app_url || '/api/cron/monitor',
        headers := jsonb_build_object('Authorization', 'Bearer ' || secret),
        timeout_milliseconds := 60000
      );
    end
    $body$
  $fn$;

  begin
    perform cron.schedule('sentinela-monitor', '30 seconds', 'select sentinela_private.call_monitor()');
  exception when others then
    raise notice 'this pg_cron has no sub-minute schedules (%): scheduling every minute instead', sqlerrm;
    perform cron.schedule('sentinela-monitor', '* * * * *', 'select sentinela_private.call_monitor()');
  end;
end
$outer$;
