-- Incidents and alerts (issue 11): the shared schema.
--
-- What must stay true:
-- - An incident is what people think in: a channel incident is about one channel; a gateway incident is
--   one tenant's view of one gateway being down and lists that tenant's affected channels in
--   incident_channels. A channel has at most one open channel incident, a (tenant, gateway) at most one
--   open gateway incident, and a channel is an active member (left_at null) of at most one incident.
-- - Incidents, their members and the outbox are written by the service path (the monitor) only; a
--   person writes just an acknowledgement (tenant admins, their own name) and alert contacts.
-- - alert_outbox holds one row per (incident, contact, kind, seq), written in the transaction that opens,
--   reminds or resolves the incident; the unique key makes every write idempotent (on conflict do
--   nothing), so overlapping passes never queue a message twice. Test alerts have no incident (null is
--   distinct in the key, so each test is its own row).
-- - Webhook URLs and signing secrets are sealed with CHANNEL_SECRET_KEY in alert_contact_secrets and,
--   like channel_secrets, can be written by tenant admins but never read back by anyone signed in.
-- - A removed contact takes its queued and sent rows with it (a pending row for a removed contact must
--   never be sent).

-- States an incident can be in (every state in which a channel is not serving; 'blocked' is in
-- DESIGN.md's table ahead of the adapters that will report it).
create function public.is_alerting_state(state text) returns boolean
language sql immutable set search_path = '' as $$
  select state in ('connecting', 'disconnected', 'needs_qr', 'replaced', 'provider_down', 'misconfigured', 'blocked')
$$;
revoke all on function public.is_alerting_state(text) from public, anon;
grant execute on function public.is_alerting_state(text) to authenticated, service_role;

-- The tenant's WhatsApp alert sender (a healthy channel of its own) and how often an open,
-- unacknowledged incident is reminded (0: never).
alter table public.tenants
  add column if not exists alert_sender_channel_id uuid references public.channels(id) on delete set null,
  add column if not exists reminder_hours integer not null default 4 check (reminder_hours between 0 and 168);

-- The sender must be one of the tenant's own channels, whoever writes. Security definer to look the
-- channel up whatever the caller can see.
create function public.tenants_check_alert_sender() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.alert_sender_channel_id is not null and not exists (
    select 1 from public.channels c where c.id = new.alert_sender_channel_id and c.tenant_id = new.id
  ) then
    raise exception 'alert sender % is not a channel of tenant %', new.alert_sender_channel_id, new.id
      using errcode = '23503';
  end if;
  return new;
end
$$;
revoke all on function public.tenants_check_alert_sender() from public, anon, authenticated;
create trigger tenants_check_alert_sender before insert or update of alert_sender_channel_id on public.tenants
  for each row execute function public.tenants_check_alert_sender();

-- Tenant admins choose their sender and reminder interval; nothing else of the tenant row.
create policy tenants_admin_update on public.tenants for update to authenticated
  using (public.is_tenant_admin(id)) with check (public.is_tenant_admin(id));
grant update (alert_sender_channel_id, reminder_hours) on public.tenants to authenticated;

create table public.incidents (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  kind text not null check (kind in ('channel', 'gateway')),
  -- The channel of a channel incident; null for a gateway incident (its channels are in incident_channels).
  channel_id uuid references public.channels(id) on delete cascade,
  -- The gateway of a gateway incident; null for a channel incident.
  gateway_id uuid references public.gateways(id) on delete cascade,
  -- The current worst state of its active channels (the last one while resolved).
  state text not null check (public.is_alerting_state(state)),
  states_seen text[] not null check (array_length(states_seen, 1) >= 1),
  opened_at timestamptz not null,
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  resolved_at timestamptz,
  last_reminder_at timestamptz,
  reminder_count integer not null default 0 check (reminder_count >= 0),
  created_at timestamptz not null default now(),
  constraint incidents_kind_subject check (
    (kind = 'channel' and channel_id is not null and gateway_id is null)
    or (kind = 'gateway' and gateway_id is not null and channel_id is null)
  ),
  constraint incidents_resolved_after_opened check (resolved_at is null or resolved_at >= opened_at),
  constraint incidents_acknowledged_by_someone check ((acknowledged_at is null) = (acknowledged_by is null))
);
create unique index incidents_one_open_per_channel on public.incidents (channel_id)
  where kind = 'channel' and resolved_at is null;
create unique index incidents_one_open_per_gateway on public.incidents (tenant_id, gateway_id)
  where kind = 'gateway' and resolved_at is null;
create index incidents_tenant_opened_idx on public.incidents (tenant_id, opened_at desc);
create index incidents_open_idx on public.incidents (tenant_id) where resolved_at is null;

create table public.incident_channels (
  id bigint generated always as identity primary key,
  incident_id uuid not null references public.incidents(id) on delete cascade,
  channel_id uuid not null references public.channels(id) on delete cascade,
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  joined_at timestamptz not null,
  left_at timestamptz,
  -- The channel's state while a member (its last one once it left).
  state text not null check (public.is_alerting_state(state)),
  constraint incident_channels_left_after_joined check (left_at is null or left_at >= joined_at)
);
create unique index incident_channels_one_active_membership on public.incident_channels (channel_id)
  where left_at is null;
create index incident_channels_incident_idx on public.incident_channels (incident_id);
create index incident_channels_channel_idx on public.incident_channels (channel_id, joined_at desc);

create table public.alert_contacts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  name text not null check (length(trim(name)) between 1 and 120),
  kind text not null check (kind in ('email', 'webhook', 'slack', 'whatsapp')),
  -- An e-mail address or an E.164 phone; null for webhook kinds (their URL is sealed).
  target text,
  -- Null: every channel of the tenant.
  channel_ids uuid[],
  -- Null: every alerting state.
  states text[],
  language text not null default 'pt-BR' check (language in ('pt-BR', 'en')),
  -- In the tenant's time zone; both or neither.
  quiet_start time,
  quiet_end time,
  critical_overrides_quiet boolean not null default true,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  constraint alert_contacts_id_tenant unique (id, tenant_id),
  constraint alert_contacts_target check (case kind
    when 'email' then target ~ '^[^@\s]+@[^@\s]+$' and length(target) <= 320
    when 'whatsapp' then target ~ '^\+[1-9][0-9]{7,14}$'
    else target is null end),
  constraint alert_contacts_states check (states is null or (
    cardinality(states) >= 1
    and states <@ array['connecting', 'disconnected', 'needs_qr', 'replaced', 'provider_down', 'misconfigured', 'blocked']
  )),
  constraint alert_contacts_channels check (channel_ids is null or cardinality(channel_ids) >= 1),
  constraint alert_contacts_quiet_hours check ((quiet_start is null) = (quiet_end is null))
);
create index alert_contacts_tenant_idx on public.alert_contacts (tenant_id);

-- Sealed with CHANNEL_SECRET_KEY (AES-256-GCM) by the application; never readable by users.
create table public.alert_contact_secrets (
  contact_id uuid primary key,
  tenant_id uuid not null,
  url_ciphertext text,
  signing_secret_ciphertext text,
  updated_at timestamptz not null default now(),
  foreign key (contact_id, tenant_id) references public.alert_contacts (id, tenant_id) on delete cascade
);

create table public.alert_outbox (
  id bigint generated always as identity primary key,
  tenant_id uuid not null,
  -- Null for a test alert.
  incident_id uuid references public.incidents(id) on delete cascade,
  contact_id uuid not null,
  kind text not null check (kind in ('opened', 'reminder', 'resolved', 'test')),
  -- 0 for opened/resolved/test; the reminder's number (incidents.reminder_count) for reminders.
  seq integer not null default 0 check (seq >= 0),
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  lease_until timestamptz,
  last_error text check (length(last_error) <= 1000),
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  -- What to say (channel names, states, durations, links), fixed when the row is written.
  payload jsonb not null default '{}',
  constraint alert_outbox_once unique (incident_id, contact_id, kind, seq),
  constraint alert_outbox_test_has_no_incident check ((kind = 'test') = (incident_id is null)),
  foreign key (contact_id, tenant_id) references public.alert_contacts (id, tenant_id) on delete cascade
);
create index alert_outbox_due_idx on public.alert_outbox (next_attempt_at) where status in ('pending', 'sending');
create index alert_outbox_incident_idx on public.alert_outbox (incident_id);
create index alert_outbox_contact_idx on public.alert_outbox (contact_id, created_at desc);

alter table public.incidents enable row level security;
alter table public.incident_channels enable row level security;
alter table public.alert_contacts enable row level security;
alter table public.alert_contact_secrets enable row level security;
alter table public.alert_outbox enable row level security;

revoke all on public.incidents, public.incident_channels, public.alert_contacts, public.alert_contact_secrets,
  public.alert_outbox from anon, authenticated;

-- Incidents: members read; admins acknowledge in their own name and change nothing else.
create policy incidents_read on public.incidents for select to authenticated
  using (tenant_id in (select public.readable_tenant_ids()));
create policy incidents_acknowledge on public.incidents for update to authenticated
  using (public.is_tenant_admin(tenant_id))
  with check (public.is_tenant_admin(tenant_id) and acknowledged_by = (select auth.uid()));
grant select on public.incidents to authenticated;
grant update (acknowledged_at, acknowledged_by) on public.incidents to authenticated;

create policy incident_channels_read on public.incident_channels for select to authenticated
  using (tenant_id in (select public.readable_tenant_ids()));
grant select on public.incident_channels to authenticated;

-- Contacts: members see who is alerted for what; admins manage them.
create policy alert_contacts_read on public.alert_contacts for select to authenticated
  using (tenant_id in (select public.readable_tenant_ids()));
create policy alert_contacts_insert on public.alert_contacts for insert to authenticated
  with check (public.is_tenant_admin(tenant_id));
create policy alert_contacts_update on public.alert_contacts for update to authenticated
  using (public.is_tenant_admin(tenant_id)) with check (public.is_tenant_admin(tenant_id));
create policy alert_contacts_delete on public.alert_contacts for delete to authenticated
  using (public.is_tenant_admin(tenant_id));
grant select, insert, update, delete on public.alert_contacts to authenticated;

-- Secrets: as channel_secrets, admins address and write them; no SELECT on a ciphertext for anyone
-- signed in (a table-level SELECT would make the column grants meaningless).
create policy alert_contact_secrets_admin_select_keys on public.alert_contact_secrets for select to authenticated
  using (public.is_tenant_admin(tenant_id));
create policy alert_contact_secrets_insert on public.alert_contact_secrets for insert to authenticated
  with check (public.is_tenant_admin(tenant_id));
create policy alert_contact_secrets_update on public.alert_contact_secrets for update to authenticated
  using (public.is_tenant_admin(tenant_id)) with check (public.is_tenant_admin(tenant_id));
create policy alert_contact_secrets_delete on public.alert_contact_secrets for delete to authenticated
  using (public.is_tenant_admin(tenant_id));
grant select (contact_id, tenant_id) on public.alert_contact_secrets to authenticated;
grant insert (contact_id, tenant_id, url_ciphertext, signing_secret_ciphertext) on public.alert_contact_secrets
  to authenticated;
grant update (url_ciphertext, signing_secret_ciphertext, updated_at) on public.alert_contact_secrets to authenticated;
grant delete on public.alert_contact_secrets to authenticated;

-- Outbox: members see what was sent to whom and when; admins may queue a test alert for a contact of
-- their own tenant (the composite key to alert_contacts holds the tenant); everything else is the
-- service path's.
create policy alert_outbox_read on public.alert_outbox for select to authenticated
  using (tenant_id in (select public.readable_tenant_ids()));
create policy alert_outbox_insert_test on public.alert_outbox for insert to authenticated
  with check (public.is_tenant_admin(tenant_id) and kind = 'test' and incident_id is null and status = 'pending');
grant select on public.alert_outbox to authenticated;
grant insert (tenant_id, contact_id, kind, payload) on public.alert_outbox to authenticated;
