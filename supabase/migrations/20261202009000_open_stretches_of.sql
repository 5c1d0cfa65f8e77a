-- The open stretches of some channels only (issue 12 point 8, issue 13 "the render benchmark must not
-- get slower"): public.uptime_open_stretches() works out every channel the caller may read, which a
-- page of 25 channels, or one channel's page, does not need (~7 ms at 1,000 channels, each time). The
-- same function with the channels to look at (null: all, as before); the old one is now that with null,
-- so channel_uptime_open and the views built on it are unchanged. Readers: lib/db/channel-health.ts,
-- lib/db/channel-detail.ts.

create function public.uptime_open_stretches(p_channel_ids uuid[])
returns table (channel_id uuid, tenant_id uuid, hour timestamptz, day date, up_seconds integer,
  degraded_seconds integer, down_seconds integer)
language plpgsql stable set search_path = '' rows 1000 as $$
#variable_conflict use_column
begin
  return query
  with stretch as materialized (
    select s.channel_id, s.tenant_id, s.accounted_until as from_at, k.last_checked_at as to_at, s.state,
      public.uptime_health(s.state) as health,
      public.silence_degraded_from(s.state, s.since, s.last_event_at, c.silence_threshold_seconds) as degraded_from,
      coalesce(t.usable_timezone, 'UTC') as time_zone,
      pg_catalog.date_part('epoch', pg_catalog.date_bin('1 second', k.last_checked_at, '2000-01-01 00:00:00+00')
        - pg_catalog.date_bin('1 second', s.accounted_until, '2000-01-01 00:00:00+00'))::integer as seconds
    from public.channel_state s
    join public.channel_schedule k on k.channel_id = s.channel_id
    join public.channels c on c.id = s.channel_id
    join public.tenants t on t.id = s.tenant_id
    where k.last_checked_at > s.accounted_until and public.uptime_health(s.state) <> 'none'
      and (p_channel_ids is null or s.channel_id = any(p_channel_ids))
  ),
  split as materialized (
    select x.*,
      pg_catalog.date_bin('1 hour', x.from_at, '2000-01-01 00:00:00+00') = pg_catalog.date_bin('1 hour', x.to_at, '2000-01-01 00:00:00+00')
        and (x.from_at at time zone x.time_zone)::date = (x.to_at at time zone x.time_zone)::date
        and (x.degraded_from is null or x.degraded_from <= x.from_at or x.degraded_from >= x.to_at) as whole,
      coalesce(x.from_at >= x.degraded_from, false) as silent
    from stretch x
  )
  select channel_id, tenant_id,
    pg_catalog.date_bin('1 hour', from_at, '2000-01-01 00:00:00+00') as hour,
    (from_at at time zone time_zone)::date as day,
    case when health = 'up' and not silent then seconds else 0 end as up_seconds,
    case when health = 'degraded' or (health = 'up' and silent) then seconds else 0 end as degraded_seconds,
    case when health = 'down' then seconds else 0 end as down_seconds
  from split
  where whole and seconds > 0
  union all
  select x.channel_id, x.tenant_id, p.hour, p.day, p.up_seconds, p.degraded_seconds, p.down_seconds
  from split x
  cross join lateral public.uptime_pieces(x.from_at, x.to_at, x.state, x.degraded_from, x.time_zone) p
  where not x.whole and p.up_seconds + p.degraded_seconds + p.down_seconds > 0;
end
$$;

create or replace function public.uptime_open_stretches()
returns table (channel_id uuid, tenant_id uuid, hour timestamptz, day date, up_seconds integer,
  degraded_seconds integer, down_seconds integer)
language sql stable set search_path = '' rows 1000 as $$
  select * from public.uptime_open_stretches(null::uuid[])
$$;

grant execute on function public.uptime_open_stretches(uuid[]) to authenticated, service_role;
