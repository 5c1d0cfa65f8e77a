-- An unchanged check writes (almost) nothing (issue 13; DESIGN.md, "Storage").
--
-- What must stay true:
-- - A check that changes nothing writes one narrow tuple version: its claim, a row of channel_schedule.
--   The claim moves the channel's schedule on (next_check_at) and is its lease (lease_owner) until then;
--   nothing else of the check is written. channel_schedule has no index but its primary key (the claim
--   is a HOT update) and keeps half of each page free for the next versions (fillfactor).
-- - channel_state (what channel_status was) is written only when something changed, when a raw-check
--   sample is due (once per quarter hour), or when uptime is materialized: at a transition, by the first
--   pass of each hour, after a gap, when a silence ends.
-- - Uptime: from channel_state.accounted_until to the channel's last claim (channel_schedule
--   .last_checked_at) the channel was watched with no gap longer than three check intervals, in its
--   current state: a claim after a longer gap first materializes what came before the gap and starts
--   accounting again from itself, so the gap stays "no data". channel_uptime_hourly and
--   channel_uptime_daily are views adding that open stretch (channel_uptime_open) to the materialized
--   rows (channel_uptime_hours, channel_uptime_days): every reader sees the same seconds as when each
--   check added its own. public.uptime_pieces is the one place that splits time into hours and days.
-- - channel_status stays what it was to every reader and writer: a view of channel_state with its
--   schedule (lease_owner only while the run holding it has not finished). Inserts and deletes go
--   straight through; updates through a trigger that writes only what changed. The monitor and the
--   webhook receiver write the tables themselves. Add new status columns to channel_state.

alter table public.channel_status rename to channel_state;
alter table public.channel_state set (fillfactor = 50);

create table public.channel_schedule (
  channel_id uuid primary key references public.channel_state(channel_id) on delete cascade,
  next_check_at timestamptz not null default now(),
  -- The last claim: when the monitor last looked (or was looking) at the channel.
  last_checked_at timestamptz,
  -- The run that claimed it: holds the channel while that run is alive, else until next_check_at.
  lease_owner uuid,
  -- Claims since the last due live read, modulo 10 (lib/monitor/bulk-state-reads.ts): the claim counts,
  -- so a check a gateway's listing answered writes nothing of its own. Starts at a phase taken from
  -- the channel's id, so a fleet's due live reads spread over passes.
  listed_checks smallint not null default 0 check (listed_checks between 0 and 9)
) with (fillfactor = 50);

insert into public.channel_schedule (channel_id, next_check_at, last_checked_at, lease_owner, listed_checks)
select channel_id, next_check_at, last_checked_at, case when lease_until > now() then lease_owner end, listed_checks % 10
from public.channel_state;

alter table public.channel_state drop column next_check_at, drop column last_checked_at,
  drop column lease_owner, drop column lease_until, drop column listed_checks;

-- Every status row has its schedule, due at once, whoever inserts it.
create function public.channel_state_add_schedule() returns trigger
language plpgsql set search_path = '' as $$
begin
  insert into public.channel_schedule (channel_id, listed_checks)
  values (new.channel_id, abs(pg_catalog.hashtext(new.channel_id::text)) % 10)
  on conflict (channel_id) do nothing;
  return null;
end
$$;
revoke all on function public.channel_state_add_schedule() from public, anon, authenticated;
create trigger channel_state_add_schedule after insert on public.channel_state
  for each row execute function public.channel_state_add_schedule();

alter table public.channel_schedule enable row level security;
-- Whoever may read a channel may read when it was last checked (channels' own policy decides).
create policy channel_schedule_read on public.channel_schedule for select to authenticated
  using (channel_id in (select c.id from public.channels c));
grant select on public.channel_schedule to authenticated;

-- One row per channel, as before: the state with its schedule (the lease only while the run holding it
-- has not finished). Written through by the trigger below, each column to its table; an insert that
-- must not fail on an existing row (ON CONFLICT) goes to channel_state itself.
create view public.channel_status with (security_invoker = on) as
select s.*, k.next_check_at, k.last_checked_at, k.listed_checks,
  r.id as lease_owner, case when r.id is not null then k.next_check_at end as lease_until
from public.channel_state s
join public.channel_schedule k on k.channel_id = s.channel_id
left join public.monitor_runs r on r.id = k.lease_owner and r.finished_at is null;
grant select on public.channel_status to authenticated;

-- Writes to channel_status: what the statement said, column by column, to channel_state (inserts take
-- its defaults for the rest) and to channel_schedule. An update writes only the columns that changed.
create function public.channel_status_write() returns trigger
language plpgsql set search_path = '' as $$
declare
  new_row jsonb := case when tg_op <> 'DELETE' then pg_catalog.to_jsonb(new) end;
  old_row jsonb := case when tg_op <> 'INSERT' then pg_catalog.to_jsonb(old) end;
  columns text;
begin
  if tg_op = 'DELETE' then
    delete from public.channel_state where channel_id = old.channel_id;
    return old;
  end if;
  select pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' order by a.attnum) into columns
  from pg_catalog.pg_attribute a
  where a.attrelid = 'public.channel_state'::regclass and a.attnum > 0 and not a.attisdropped
    and case when tg_op = 'INSERT' then pg_catalog.jsonb_typeof(new_row -> a.attname::text) is distinct from 'null'
      else (new_row -> a.attname::text) is distinct from (old_row -> a.attname::text) end;
  if tg_op = 'INSERT' then
    execute pg_catalog.format(
      'insert into public.channel_state (%1$s) select %1$s from pg_catalog.jsonb_populate_record(null::public.channel_state, $1)',
      columns) using new_row;
    -- Its schedule row came with it (channel_state_add_schedule); what the insert says of it:
    update public.channel_schedule set next_check_at = coalesce(new.next_check_at, next_check_at),
      last_checked_at = new.last_checked_at, lease_owner = new.lease_owner,
      listed_checks = coalesce(new.listed_checks, listed_checks)
    where channel_id = new.channel_id
      and (new.next_check_at, new.last_checked_at, new.lease_owner, new.listed_checks) is distinct from (null, null, null, null);
    return new;
  end if;
  if columns is not null then
    execute pg_catalog.format(
      'update public.channel_state set (%1$s) = (select %1$s from pg_catalog.jsonb_populate_record(null::public.channel_state, $1)) where channel_id = $2',
      columns) using new_row, old.channel_id;
  end if;
  if (new.next_check_at, new.last_checked_at, new.lease_owner, new.listed_checks)
      is distinct from (old.next_check_at, old.last_checked_at, old.lease_owner, old.listed_checks) then
    update public.channel_schedule set next_check_at = new.next_check_at, last_checked_at = new.last_checked_at,
      lease_owner = new.lease_owner, listed_checks = new.listed_checks
    where channel_id = old.channel_id;
  end if;
  return new;
end
$$;
revoke all on function public.channel_status_write() from public, anon, authenticated;
create trigger channel_status_write instead of insert or update or delete on public.channel_status
  for each row execute function public.channel_status_write();

-- ---------------------------------------------------------------------------------------------------
-- Uptime: materialized hours and days, plus the open stretch.

alter table public.channel_uptime_hourly rename to channel_uptime_hours;
alter table public.channel_uptime_daily rename to channel_uptime_days;
-- A row is updated a few times after it is inserted (samples, the hour's close): room for HOT updates.
alter table public.channel_uptime_hours set (fillfactor = 50);
alter table public.channel_uptime_days set (fillfactor = 50);

-- lib/monitor/states.ts healthOf, for uptime (lib/db/uptime-pieces.int.test.ts holds them to each other).
create function public.uptime_health(p_state text) returns text
language sql immutable parallel safe as $$
  select case p_state when 'connected' then 'up' when 'connecting' then 'degraded' when 'restricted' then 'degraded'
    when 'paused' then 'none' when 'unknown' then 'none' else 'down' end
$$;

-- lib/monitor/silence.ts silenceOf: from when connected time counts as degraded (null: never).
create function public.silence_degraded_from(p_state text, p_since timestamptz, p_last_event_at timestamptz,
  p_threshold_seconds integer) returns timestamptz
language sql immutable parallel safe as $$
  select case when p_state = 'connected' and p_threshold_seconds is not null
    then greatest(p_since, p_last_event_at) + p_threshold_seconds * interval '1 second' end
$$;

-- lib/monitor/time-zone.ts usableTimeZone: a stored zone that does not exist counts as UTC.
create function public.usable_time_zone(p_name text) returns text
language plpgsql stable set search_path = '' as $$
begin
  perform pg_catalog.now() at time zone p_name;
  return p_name;
exception when others then
  return 'UTC';
end
$$;

-- The seconds of [p_from, p_to] in state p_state, in pieces that never straddle a UTC hour, a local
-- midnight of p_time_zone or the start of a silence (p_degraded_from), each filed under its UTC hour and
-- the local day it falls in. Whole seconds counted on the second boundaries crossed (as
-- lib/monitor/uptime-rollup.ts does), so pieces that share a boundary add up exactly. Inlined into
-- callers (plain SQL, no SET): every path that accounts uptime goes through here. A stretch inside one
-- hour, one local day and one side of the silence (an open stretch, nearly always) is one piece at once.
create function public.uptime_pieces(p_from timestamptz, p_to timestamptz, p_state text,
  p_degraded_from timestamptz, p_time_zone text)
returns table (hour timestamptz, day date, up_seconds integer, degraded_seconds integer, down_seconds integer)
language sql stable parallel safe as $$
  select
    pg_catalog.date_bin('1 hour', piece.s, '2000-01-01 00:00:00+00'),
    (piece.s at time zone p_time_zone)::date,
    case when h.health = 'up' and not piece.silent then piece.seconds else 0 end,
    case when h.health = 'degraded' or (h.health = 'up' and piece.silent) then piece.seconds else 0 end,
    case when h.health = 'down' then piece.seconds else 0 end
  from (select public.uptime_health(p_state) as health,
      pg_catalog.date_bin('1 hour', p_from, '2000-01-01 00:00:00+00') = pg_catalog.date_bin('1 hour', p_to, '2000-01-01 00:00:00+00')
        and (p_from at time zone p_time_zone)::date = (p_to at time zone p_time_zone)::date
        and (p_degraded_from is null or p_degraded_from <= p_from or p_degraded_from >= p_to) as whole) h
  cross join lateral (
    select cut.s,
      pg_catalog.date_part('epoch', pg_catalog.date_bin('1 second', cut.e, '2000-01-01 00:00:00+00')
        - pg_catalog.date_bin('1 second', cut.s, '2000-01-01 00:00:00+00'))::integer as seconds,
      coalesce(cut.s >= p_degraded_from, false) as silent
    from (
      select p_from as s, p_to as e where h.whole
      union all
      select at, pg_catalog.lead(at) over (order by at)
      from (
        select p_from as at
        union all select p_to
        union all select pg_catalog.generate_series(pg_catalog.date_bin('1 hour', p_from, '2000-01-01 00:00:00+00') + interval '1 hour',
          p_to, interval '1 hour')
        union all select (d::date::timestamp at time zone p_time_zone)
          from pg_catalog.generate_series(((p_from at time zone p_time_zone)::date + 1)::timestamp,
            (p_to at time zone p_time_zone)::date::timestamp, interval '1 day') d
        union all select p_degraded_from where p_degraded_from > p_from and p_degraded_from < p_to
      ) cuts
      where not h.whole and at >= p_from and at <= p_to
    ) cut
    where cut.e > cut.s
  ) piece
  where h.health <> 'none' and p_from < p_to
$$;

-- The zone a tenant's days are counted in, kept beside the one it typed (looked up once per write, not
-- once per row read).
alter table public.tenants add column usable_timezone text;
create function public.tenants_usable_timezone() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.usable_timezone := public.usable_time_zone(new.timezone);
  return new;
end
$$;
revoke all on function public.tenants_usable_timezone() from public, anon, authenticated;
create trigger tenants_usable_timezone before insert or update of timezone on public.tenants
  for each row execute function public.tenants_usable_timezone();
update public.tenants set usable_timezone = public.usable_time_zone(timezone);

-- Every open stretch (accounted_until to the channel's last claim) the caller may read, in pieces.
-- Nearly every stretch is one piece (inside one hour, one local day, one side of a silence): that one
-- is computed right here; the rest go through uptime_pieces. A function of its own (plpgsql: planned
-- once per session, not per statement), so the stretches are read once per statement, each table's
-- row-level security checked once, and the planner expects a fleet's worth of rows (it otherwise
-- guesses one and loops over them per row).
create function public.uptime_open_stretches()
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
create view public.channel_uptime_open with (security_invoker = on) as
select * from public.uptime_open_stretches();

-- The materialized rows with the open stretch added: history before the earliest open stretch as it
-- is (no join, no regrouping), the rows open stretches reach with their seconds added, and a row for an
-- hour or day only an open stretch has reached yet. The open stretches are summed once per statement.
create view public.channel_uptime_hourly with (security_invoker = on) as
with open as materialized (
  select channel_id, tenant_id, hour, sum(up_seconds)::integer as up_seconds,
    sum(degraded_seconds)::integer as degraded_seconds, sum(down_seconds)::integer as down_seconds
  from public.channel_uptime_open group by channel_id, tenant_id, hour
),
since as materialized (select coalesce(min(hour), 'infinity'::timestamptz) as hour from open)
select b.channel_id, b.tenant_id, b.hour, b.up_seconds, b.degraded_seconds, b.down_seconds,
  b.checks, b.failed_checks, b.latency_sum_ms, b.latency_count, b.latency_max_ms
from public.channel_uptime_hours b
join since on b.hour < since.hour
union all
select b.channel_id, b.tenant_id, b.hour,
  b.up_seconds + coalesce(o.up_seconds, 0), b.degraded_seconds + coalesce(o.degraded_seconds, 0),
  b.down_seconds + coalesce(o.down_seconds, 0),
  b.checks, b.failed_checks, b.latency_sum_ms, b.latency_count, b.latency_max_ms
from public.channel_uptime_hours b
join since on b.hour >= since.hour
left join open o on o.channel_id = b.channel_id and o.hour = b.hour
union all
select o.channel_id, o.tenant_id, o.hour, o.up_seconds, o.degraded_seconds, o.down_seconds, 0, 0, 0::bigint, 0, 0
from open o
where not exists (select 1 from public.channel_uptime_hours b where b.channel_id = o.channel_id and b.hour = o.hour);

create view public.channel_uptime_daily with (security_invoker = on) as
with open as materialized (
  select channel_id, tenant_id, day, sum(up_seconds)::integer as up_seconds,
    sum(degraded_seconds)::integer as degraded_seconds, sum(down_seconds)::integer as down_seconds
  from public.channel_uptime_open group by channel_id, tenant_id, day
),
since as materialized (select coalesce(min(day), 'infinity'::date) as day from open)
select b.channel_id, b.tenant_id, b.day, b.up_seconds, b.degraded_seconds, b.down_seconds,
  b.checks, b.failed_checks, b.latency_sum_ms, b.latency_count, b.latency_max_ms
from public.channel_uptime_days b
join since on b.day < since.day
union all
select b.channel_id, b.tenant_id, b.day,
  b.up_seconds + coalesce(o.up_seconds, 0), b.degraded_seconds + coalesce(o.degraded_seconds, 0),
  b.down_seconds + coalesce(o.down_seconds, 0),
  b.checks, b.failed_checks, b.latency_sum_ms, b.latency_count, b.latency_max_ms
from public.channel_uptime_days b
join since on b.day >= since.day
left join open o on o.channel_id = b.channel_id and o.day = b.day
union all
select o.channel_id, o.tenant_id, o.day, o.up_seconds, o.degraded_seconds, o.down_seconds, 0, 0, 0::bigint, 0, 0
from open o
where not exists (select 1 from public.channel_uptime_days b where b.channel_id = o.channel_id and b.day = o.day);

-- Rows written to the views (seeds, fixtures) land in the materialized tables.
create function public.channel_uptime_insert() returns trigger
language plpgsql set search_path = '' as $$
declare
  target text := case tg_table_name when 'channel_uptime_hourly' then 'public.channel_uptime_hours' else 'public.channel_uptime_days' end;
  new_row jsonb := pg_catalog.jsonb_strip_nulls(pg_catalog.to_jsonb(new));
  columns text;
begin
  select pg_catalog.string_agg(pg_catalog.quote_ident(key), ', ') into columns from pg_catalog.jsonb_object_keys(new_row) key;
  execute pg_catalog.format('insert into %1$s (%2$s) select %2$s from pg_catalog.jsonb_populate_record(null::%1$s, $1)',
    target, columns) using new_row;
  return new;
end
$$;
revoke all on function public.channel_uptime_insert() from public, anon, authenticated;
create trigger channel_uptime_insert instead of insert on public.channel_uptime_hourly
  for each row execute function public.channel_uptime_insert();
create trigger channel_uptime_insert instead of insert on public.channel_uptime_daily
  for each row execute function public.channel_uptime_insert();

grant select on public.channel_uptime_open, public.channel_uptime_hourly, public.channel_uptime_daily to authenticated;
grant execute on function public.uptime_health(text), public.silence_degraded_from(text, timestamptz, timestamptz, integer),
  public.usable_time_zone(text), public.uptime_pieces(timestamptz, timestamptz, text, timestamptz, text),
  public.uptime_open_stretches() to authenticated, service_role;

-- Materializes one channel's open stretch up to p_until (never past its last claim) and moves
-- accounted_until there, with the state and silence it had. For what changes a channel's state or
-- silence outside the monitor's and the receiver's own statements (a pause, a resume).
create function public.settle_uptime(p_channel_id uuid, p_until timestamptz) returns void
language sql set search_path = '' as $$
  with open as (
    select s.channel_id, s.tenant_id, s.accounted_until as from_at, least(k.last_checked_at, p_until) as to_at,
      s.state, public.silence_degraded_from(s.state, s.since, s.last_event_at, c.silence_threshold_seconds) as degraded_from,
      coalesce(t.usable_timezone, 'UTC') as time_zone
    from public.channel_state s
    join public.channel_schedule k on k.channel_id = s.channel_id
    join public.channels c on c.id = s.channel_id
    join public.tenants t on t.id = s.tenant_id
    where s.channel_id = p_channel_id and s.accounted_until < least(k.last_checked_at, p_until)
    for update of s
  ),
  moved as (
    update public.channel_state s set accounted_until = o.to_at from open o where s.channel_id = o.channel_id
    returning s.channel_id
  ),
  pieces as (
    select o.channel_id, o.tenant_id, p.* from open o
    cross join lateral public.uptime_pieces(o.from_at, o.to_at, o.state, o.degraded_from, o.time_zone) p
    where o.channel_id in (select channel_id from moved)
  ),
  hours as (
    insert into public.channel_uptime_hours as u (channel_id, tenant_id, hour, up_seconds, degraded_seconds, down_seconds)
    select channel_id, tenant_id, hour, sum(up_seconds), sum(degraded_seconds), sum(down_seconds)
    from pieces group by channel_id, tenant_id, hour
    on conflict (channel_id, hour) do update set up_seconds = u.up_seconds + excluded.up_seconds,
      degraded_seconds = u.degraded_seconds + excluded.degraded_seconds, down_seconds = u.down_seconds + excluded.down_seconds
  )
  insert into public.channel_uptime_days as u (channel_id, tenant_id, day, up_seconds, degraded_seconds, down_seconds)
  select channel_id, tenant_id, day, sum(up_seconds), sum(degraded_seconds), sum(down_seconds)
  from pieces group by channel_id, tenant_id, day
  on conflict (channel_id, day) do update set up_seconds = u.up_seconds + excluded.up_seconds,
    degraded_seconds = u.degraded_seconds + excluded.degraded_seconds, down_seconds = u.down_seconds + excluded.down_seconds
$$;
revoke all on function public.settle_uptime(uuid, timestamptz) from public, anon, authenticated;

-- As in 20261128000600_channel_actions.sql, on the tables: a pause first settles the time the channel was
-- watched up to it (in the state it was in), a resume makes it due at once.
create or replace function public.init_channel_status(target uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  owner_tenant uuid;
begin
  select c.tenant_id into owner_tenant from public.channels c where c.id = target;
  if not found or not public.is_tenant_admin(owner_tenant) then
    raise exception 'only an admin of the channel''s tenant may set up its status' using errcode = '42501';
  end if;
  insert into public.channel_state (channel_id, tenant_id) values (target, owner_tenant)
  on conflict (channel_id) do nothing;
end
$$;

create or replace function public.sync_channel_pause(target uuid, p_at timestamptz default now()) returns text
language plpgsql security definer set search_path = '' as $$
declare
  ch record;
  current_state text;
begin
  select c.tenant_id, c.monitoring_enabled into ch from public.channels c where c.id = target;
  if not found or not public.is_tenant_admin(ch.tenant_id) then
    raise exception 'only an admin of the channel''s tenant may pause or resume it' using errcode = '42501';
  end if;
  select s.state into current_state from public.channel_state s where s.channel_id = target for update;
  if not found then
    raise exception 'channel % has no status row', target using errcode = 'P0002';
  end if;

  if not ch.monitoring_enabled and current_state <> 'paused' then
    perform public.settle_uptime(target, p_at);
    update public.channel_state set state = 'paused', reason = 'monitoring paused by an admin', since = p_at,
      pending_state = null, pending_reason = null, pending_since = null, updated_at = now()
    where channel_id = target;
    insert into public.channel_events (channel_id, tenant_id, from_state, to_state, reason, source, occurred_at)
    values (target, ch.tenant_id, current_state, 'paused', 'monitoring paused by an admin', 'manual', p_at);
    return 'paused';
  end if;

  if ch.monitoring_enabled and current_state = 'paused' then
    update public.channel_state set state = 'unknown', reason = 'monitoring resumed by an admin', since = p_at,
      pending_state = null, pending_reason = null, pending_since = null,
      reconnect_attempt = 0, next_reconnect_at = null, accounted_until = null, updated_at = now()
    where channel_id = target;
    update public.channel_schedule set next_check_at = p_at where channel_id = target;
    insert into public.channel_events (channel_id, tenant_id, from_state, to_state, reason, source, occurred_at)
    values (target, ch.tenant_id, 'paused', 'unknown', 'monitoring resumed by an admin', 'manual', p_at);
    return 'unknown';
  end if;

  return current_state;
end
$$;
