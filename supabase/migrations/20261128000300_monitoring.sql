-- What the monitor knows: current status (with policy and lease state), transitions, recent raw
-- checks, time-weighted uptime rollups, actions taken, and the passes themselves.

create table public.channel_status (
  channel_id uuid primary key references public.channels(id) on delete cascade,
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  state text not null default 'unknown' check (state in (
    'connected', 'connecting', 'disconnected', 'needs_qr', 'replaced', 'provider_down',
    'misconfigured', 'paused', 'unknown'
  )),
  reason text,
  since timestamptz not null default now(),
  last_checked_at timestamptz,
  next_check_at timestamptz not null default now(),
  latency_ms integer,
  -- Flap damping: a down observation waits here until a second check confirms it.
  pending_state text,
  pending_reason text,
  pending_since timestamptz,
  -- Reconnect policy, persisted so that every invocation on every machine acts as one.
  reconnect_attempt integer not null default 0,
  next_reconnect_at timestamptz,
  recent_reconnects timestamptz[] not null default '{}',
  qr_requested_at timestamptz,
  -- Webhook health.
  last_event_at timestamptz,
  webhook_checked_at timestamptz,
  last_check_recorded_at timestamptz,
  -- Uptime is accounted up to here; the time after it belongs to the current state once observed.
  accounted_until timestamptz,
  -- Lease: the invocation that claimed this channel and until when.
  lease_owner uuid,
  lease_until timestamptz,
  updated_at timestamptz not null default now()
);
create index channel_status_due_idx on public.channel_status (next_check_at);
create index channel_status_tenant_state_idx on public.channel_status (tenant_id, state);

create table public.channel_events (
  id bigint generated always as identity primary key,
  channel_id uuid not null references public.channels(id) on delete cascade,
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  from_state text,
  to_state text not null,
  reason text,
  source text not null check (source in ('monitor', 'webhook', 'manual')),
  occurred_at timestamptz not null,
  dedupe_key text unique,
  created_at timestamptz not null default now()
);
create index channel_events_channel_idx on public.channel_events (channel_id, occurred_at desc);

create table public.channel_checks (
  id bigint generated always as identity primary key,
  channel_id uuid not null references public.channels(id) on delete cascade,
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  checked_at timestamptz not null,
  state text not null,
  gateway_state text,
  reason_code integer,
  latency_ms integer,
  error_code text,
  detail text
);
create index channel_checks_channel_idx on public.channel_checks (channel_id, checked_at desc);

create table public.channel_uptime_hourly (
  channel_id uuid not null references public.channels(id) on delete cascade,
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  hour timestamptz not null,
  up_seconds integer not null default 0,
  degraded_seconds integer not null default 0,
  down_seconds integer not null default 0,
  checks integer not null default 0,
  failed_checks integer not null default 0,
  latency_sum_ms bigint not null default 0,
  latency_count integer not null default 0,
  latency_max_ms integer not null default 0,
  primary key (channel_id, hour)
);

-- Days in the tenant's own timezone, kept beside the hours so 90-day views read 90 rows, not 2,160.
create table public.channel_uptime_daily (
  channel_id uuid not null references public.channels(id) on delete cascade,
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  day date not null,
  up_seconds integer not null default 0,
  degraded_seconds integer not null default 0,
  down_seconds integer not null default 0,
  checks integer not null default 0,
  failed_checks integer not null default 0,
  latency_sum_ms bigint not null default 0,
  latency_count integer not null default 0,
  latency_max_ms integer not null default 0,
  primary key (channel_id, day)
);

create table public.channel_actions (
  id bigint generated always as identity primary key,
  channel_id uuid not null references public.channels(id) on delete cascade,
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  kind text not null check (kind in (
    'reconnect', 'restart', 'connect', 'qr_request', 'webhook_restore', 'pause', 'resume'
  )),
  trigger text not null check (trigger in ('monitor', 'manual')),
  actor_user_id uuid,
  requested_at timestamptz not null default now(),
  outcome text not null check (outcome in ('ok', 'failed', 'skipped')),
  detail text
);
create index channel_actions_channel_idx on public.channel_actions (channel_id, requested_at desc);

create table public.monitor_runs (
  id uuid primary key default gen_random_uuid(),
  trigger text not null check (trigger in ('cron', 'cli', 'runner', 'manual')),
  started_at timestamptz not null,
  finished_at timestamptz,
  checked integer not null default 0,
  transitions integer not null default 0,
  reconnects integer not null default 0,
  failed integer not null default 0,
  remaining integer not null default 0,
  duration_ms integer,
  error text
);
create index monitor_runs_finished_idx on public.monitor_runs (finished_at desc);

alter table public.channel_status enable row level security;
alter table public.channel_events enable row level security;
alter table public.channel_checks enable row level security;
alter table public.channel_uptime_hourly enable row level security;
alter table public.channel_uptime_daily enable row level security;
alter table public.channel_actions enable row level security;
alter table public.monitor_runs enable row level security;

create policy channel_status_read on public.channel_status for select to authenticated
  using (public.can_read_tenant(tenant_id));
create policy channel_events_read on public.channel_events for select to authenticated
  using (public.can_read_tenant(tenant_id));
create policy channel_checks_read on public.channel_checks for select to authenticated
  using (public.can_read_tenant(tenant_id));
create policy channel_uptime_hourly_read on public.channel_uptime_hourly for select to authenticated
  using (public.can_read_tenant(tenant_id));
create policy channel_uptime_daily_read on public.channel_uptime_daily for select to authenticated
  using (public.can_read_tenant(tenant_id));
create policy channel_actions_read on public.channel_actions for select to authenticated
  using (public.can_read_tenant(tenant_id));
create policy channel_actions_insert on public.channel_actions for insert to authenticated
  with check (
    public.is_tenant_admin(tenant_id) and trigger = 'manual' and actor_user_id = auth.uid()
  );
create policy monitor_runs_read on public.monitor_runs for select to authenticated
  using (public.is_platform_admin());

grant select on public.channel_status, public.channel_events, public.channel_checks,
  public.channel_uptime_hourly, public.channel_uptime_daily, public.channel_actions,
  public.monitor_runs to authenticated;
grant insert on public.channel_actions to authenticated;

-- Liveness is everyone's business: every page says when the monitor stopped, whatever the role.
create function public.monitor_last_pass() returns timestamptz
language sql stable security definer set search_path = '' as $$
  select max(finished_at) from public.monitor_runs where error is null
$$;
revoke all on function public.monitor_last_pass() from public;
grant execute on function public.monitor_last_pass() to authenticated, service_role;
