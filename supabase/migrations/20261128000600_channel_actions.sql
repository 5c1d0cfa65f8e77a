-- What a tenant admin does to one channel from the dashboard: add it, pause and resume its monitoring,
-- and see who did what. Users never write channel_status or channel_events directly (see
-- 20261128000400_least_privilege.sql); these security-definer functions do it for tenant admins only,
-- inside the caller's own transaction, so an RLS-checked write and its status change commit together.

-- A forced reconnect checks its one channel at once with a pass of trigger 'manual'. That is a person
-- acting, not the monitor running: it must not hide the "monitor is not running" banner.
create or replace function public.monitor_last_pass() returns timestamptz
language sql stable security definer set search_path = '' as $$
  select max(finished_at) from public.monitor_runs where error is null and trigger <> 'manual'
$$;

-- The status row of a channel the caller has just inserted (through RLS), due for a check now.
create function public.init_channel_status(target uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  owner_tenant uuid;
begin
  select c.tenant_id into owner_tenant from public.channels c where c.id = target;
  if not found or not public.is_tenant_admin(owner_tenant) then
    raise exception 'only an admin of the channel''s tenant may set up its status' using errcode = '42501';
  end if;
  insert into public.channel_status (channel_id, tenant_id) values (target, owner_tenant)
  on conflict (channel_id) do nothing;
end
$$;

-- Brings channel_status in line with channels.monitoring_enabled, which the caller has just changed
-- through RLS: paused when disabled; when enabled again, unknown and due at `p_at` with a clean
-- reconnect slate. Records the transition (source 'manual'). Returns the state the channel is now in.
-- A monitor pass that claimed the channel before this loses its write (it only updates rows whose state
-- is still the one it claimed), so a pause is never undone by a pass in flight.
create function public.sync_channel_pause(target uuid, p_at timestamptz default now()) returns text
language plpgsql security definer set search_path = '' as $$
declare
  ch record;
  current_state text;
begin
  select c.tenant_id, c.monitoring_enabled into ch from public.channels c where c.id = target;
  if not found or not public.is_tenant_admin(ch.tenant_id) then
    raise exception 'only an admin of the channel''s tenant may pause or resume it' using errcode = '42501';
  end if;
  select s.state into current_state from public.channel_status s where s.channel_id = target for update;
  if not found then
    raise exception 'channel % has no status row', target using errcode = 'P0002';
  end if;

  if not ch.monitoring_enabled and current_state <> 'paused' then
    update public.channel_status set state = 'paused', reason = 'monitoring paused by an admin', since = p_at,
      pending_state = null, pending_reason = null, pending_since = null, updated_at = now()
    where channel_id = target;
    insert into public.channel_events (channel_id, tenant_id, from_state, to_state, reason, source, occurred_at)
    values (target, ch.tenant_id, current_state, 'paused', 'monitoring paused by an admin', 'manual', p_at);
    return 'paused';
  end if;

  if ch.monitoring_enabled and current_state = 'paused' then
    update public.channel_status set state = 'unknown', reason = 'monitoring resumed by an admin', since = p_at,
      next_check_at = p_at, pending_state = null, pending_reason = null, pending_since = null,
      reconnect_attempt = 0, next_reconnect_at = null, accounted_until = null, updated_at = now()
    where channel_id = target;
    insert into public.channel_events (channel_id, tenant_id, from_state, to_state, reason, source, occurred_at)
    values (target, ch.tenant_id, 'paused', 'unknown', 'monitoring resumed by an admin', 'manual', p_at);
    return 'unknown';
  end if;

  return current_state;
end
$$;

-- Who acted on a channel, for its actions log: the e-mail of each user in its channel_actions, to
-- whoever may read the channel. auth.users itself stays out of reach.
create function public.channel_action_actors(target uuid) returns table (user_id uuid, email text)
language sql stable security definer set search_path = '' as $$
  select u.id, u.email::text
  from auth.users u
  where exists (select 1 from public.channels c where c.id = target and public.can_read_tenant(c.tenant_id))
    and u.id in (select a.actor_user_id from public.channel_actions a where a.channel_id = target)
$$;

revoke all on function public.init_channel_status(uuid) from public, anon;
revoke all on function public.sync_channel_pause(uuid, timestamptz) from public, anon;
revoke all on function public.channel_action_actors(uuid) from public, anon;
grant execute on function public.init_channel_status(uuid) to authenticated, service_role;
grant execute on function public.sync_channel_pause(uuid, timestamptz) to authenticated, service_role;
grant execute on function public.channel_action_actors(uuid) to authenticated, service_role;
