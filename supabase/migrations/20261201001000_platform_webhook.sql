-- Never cut the platform's webhook (issue 10, point 1).
--
-- A gateway keeps one webhook per instance, and on a live fleet it already belongs to the platform. Per
-- channel a webhook mode says what the monitor may do with it:
--   adopt  (default) the first foreign webhook found is kept whole as the channel's downstream, ours is
--          installed in its place, and every accepted event is forwarded to the downstream;
--   manage ours only (a foreign webhook is replaced; an admin-set downstream is still forwarded to);
--   off    the gateway's webhook is never read nor touched (and nothing is forwarded: in this mode our
--          receiver only hears what the platform itself forwards, and sending it back would loop).
--
-- What must stay true:
-- - The downstream URL's query string and its headers are secrets (platforms put tokens there): the
--   full URL and the headers (as JSON) are sealed with CHANNEL_SECRET_KEY in channel_secrets, which no
--   user can read back. channels.webhook_downstream_url holds only what is shown: origin and path.
-- - The sealed downstream is bound to its origin, like gateway keys: when webhook_downstream_url moves
--   to another origin (or is cleared), the sealed URL and headers are dropped in the same statement,
--   whoever writes; the application writes the new ones after the move, in the same transaction.
--   (The application also ignores a sealed URL whose origin is not the plain column's.)
-- - Legacy rows (a full URL in webhook_downstream_url, nothing sealed) are forwarded to as before.

alter table public.channels
  add column webhook_mode text not null default 'adopt' check (webhook_mode in ('adopt', 'manage', 'off')),
  -- Why the monitor put the channel in 'off' (e.g. the platform's webhook sends base64 media); null when
  -- a person chose the mode. Cleared whenever the mode is not 'off'.
  add column webhook_mode_reason text check (length(webhook_mode_reason) <= 500),
  -- When the monitor adopted the platform's webhook as this channel's downstream.
  add column webhook_adopted_at timestamptz,
  -- The downstream's own subscription: only these events are forwarded (empty: every event).
  add column webhook_downstream_events text[] not null default '{}',
  -- The downstream had per-event URLs: `<url>/<event-name>` (Evolution appends it to the URL as typed).
  add column webhook_downstream_by_events boolean not null default false,
  add column webhook_downstream_base64 boolean not null default false;

alter table public.channel_secrets
  add column downstream_url_ciphertext text,
  add column downstream_headers_ciphertext text;

-- As for the other ciphertexts: admins may write, nobody but the service path may read.
grant insert (downstream_url_ciphertext, downstream_headers_ciphertext) on public.channel_secrets to authenticated;
grant update (downstream_url_ciphertext, downstream_headers_ciphertext) on public.channel_secrets to authenticated;

-- Binds the sealed downstream to its origin, and makes the next monitor pass read the gateway's webhook
-- again whenever the mode or the downstream changes. Security definer to clear the secrets and the
-- status field whatever the caller may write; it only ever touches the row being updated.
create function public.channels_bind_downstream() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  old_origin text := lower(substring(old.webhook_downstream_url from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+'));
  new_origin text := lower(substring(new.webhook_downstream_url from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+'));
begin
  if new.webhook_mode <> 'off' then
    new.webhook_mode_reason := null;
  end if;
  if new_origin is null or old_origin is null or new_origin <> old_origin then
    if old.webhook_downstream_url is not null then
      update public.channel_secrets set downstream_url_ciphertext = null, downstream_headers_ciphertext = null,
        updated_at = now()
      where channel_id = new.id and (downstream_url_ciphertext is not null or downstream_headers_ciphertext is not null);
    end if;
  end if;
  if (new.webhook_mode, new.webhook_downstream_url) is distinct from (old.webhook_mode, old.webhook_downstream_url) then
    update public.channel_status set webhook_checked_at = null where channel_id = new.id;
  end if;
  return new;
end
$$;
revoke all on function public.channels_bind_downstream() from public, anon, authenticated;

create trigger channels_30_bind_downstream before update on public.channels
  for each row execute function public.channels_bind_downstream();

-- One row per accepted event to forward to a channel's downstream, written in the transaction that
-- accepts the event. Sent in id order per channel (a later row waits while an earlier one is pending),
-- at least once, until delivered or 24 h old. Claims are leases (lease_until) taken with
-- FOR UPDATE SKIP LOCKED, so overlapping senders never send one row at the same time.
create table public.webhook_forwards (
  id bigint generated always as identity primary key,
  channel_id uuid not null references public.channels(id) on delete cascade,
  tenant_id uuid not null references public.tenants(id) on delete cascade,
  -- SHA-256 of the body: the gateway's own repeats (same bytes) are forwarded once.
  dedupe_key text not null,
  -- Exactly the bytes the gateway sent.
  body bytea not null,
  -- The event name as Evolution writes it in per-event URLs (`messages-upsert`), or '' for none.
  url_suffix text not null default '',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until timestamptz,
  last_status integer,
  last_error text check (length(last_error) <= 1000),
  delivered_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz not null,
  constraint webhook_forwards_dedupe unique (channel_id, dedupe_key)
);
create index webhook_forwards_pending_idx on public.webhook_forwards (channel_id, id)
  where delivered_at is null and failed_at is null;
create index webhook_forwards_due_idx on public.webhook_forwards (next_attempt_at)
  where delivered_at is null and failed_at is null;
create index webhook_forwards_failed_idx on public.webhook_forwards (channel_id) where failed_at is not null;

alter table public.webhook_forwards enable row level security;

-- Bodies are guests' messages: nobody signed in reads them. Tenant admins see how forwarding goes.
revoke all on public.webhook_forwards from anon, authenticated;
create policy webhook_forwards_admin_read on public.webhook_forwards for select to authenticated
  using (public.is_tenant_admin(tenant_id));
grant select (id, channel_id, tenant_id, attempts, next_attempt_at, last_status, last_error, delivered_at, failed_at, created_at)
  on public.webhook_forwards to authenticated;
