-- Channels (one WhatsApp number behind a gateway instance) and their secrets.

create table public.channels (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  provider text not null default 'evolution' check (provider in ('evolution')),
  display_name text not null check (length(trim(display_name)) between 1 and 120),
  phone_number text check (phone_number ~ '^\+[1-9][0-9]{7,14}$'),
  gateway_url text not null check (gateway_url ~ '^https?://'),
  instance_name text not null check (length(instance_name) between 1 and 200),
  monitoring_enabled boolean not null default true,
  check_interval_seconds integer not null default 30 check (check_interval_seconds between 10 and 3600),
  -- The webhook the gateway should keep for this instance (Sentinela's receiver, these events).
  webhook_enabled boolean not null default true,
  webhook_events text[] not null default array[
    'CONNECTION_UPDATE', 'QRCODE_UPDATED', 'STATUS_INSTANCE', 'LOGOUT_INSTANCE', 'MESSAGES_UPSERT'
  ],
  -- Where the receiver forwards every accepted event, so one gateway webhook feeds both.
  webhook_downstream_url text check (webhook_downstream_url ~ '^https?://'),
  -- "Connected but silent" after this many seconds without an event; null disables the check.
  silence_threshold_seconds integer check (silence_threshold_seconds between 60 and 604800),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (gateway_url, instance_name)
);
create index channels_tenant_idx on public.channels (tenant_id, display_name);

-- Encrypted with CHANNEL_SECRET_KEY (AES-256-GCM) by the application; never readable by users.
create table public.channel_secrets (
  channel_id uuid primary key references public.channels(id) on delete cascade,
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  api_key_ciphertext text not null,
  webhook_secret_ciphertext text,
  updated_at timestamptz not null default now()
);

alter table public.channels enable row level security;
alter table public.channel_secrets enable row level security;

create policy channels_read on public.channels for select to authenticated
  using (public.can_read_tenant(tenant_id));
create policy channels_insert on public.channels for insert to authenticated
  with check (public.is_tenant_admin(tenant_id));
create policy channels_update on public.channels for update to authenticated
  using (public.is_tenant_admin(tenant_id)) with check (public.is_tenant_admin(tenant_id));
create policy channels_delete on public.channels for delete to authenticated
  using (public.is_tenant_admin(tenant_id));

grant select, insert, update, delete on public.channels to authenticated;

-- Admins may write a secret, nobody but the service path may read one: the ciphertext columns get no
-- SELECT privilege, only the keys needed to address a row.
create policy channel_secrets_admin_select_keys on public.channel_secrets for select to authenticated
  using (public.is_tenant_admin(tenant_id));
create policy channel_secrets_insert on public.channel_secrets for insert to authenticated
  with check (public.is_tenant_admin(tenant_id));
create policy channel_secrets_update on public.channel_secrets for update to authenticated
  using (public.is_tenant_admin(tenant_id)) with check (public.is_tenant_admin(tenant_id));

-- Supabase's default privileges grant every new table to anon and authenticated; take that back first,
-- since a table-level SELECT would make the column grants below meaningless.
revoke all on public.channel_secrets from anon, authenticated;
grant select (channel_id, tenant_id) on public.channel_secrets to authenticated;
grant insert (channel_id, tenant_id, api_key_ciphertext, webhook_secret_ciphertext)
  on public.channel_secrets to authenticated;
grant update (api_key_ciphertext, webhook_secret_ciphertext, updated_at)
  on public.channel_secrets to authenticated;
