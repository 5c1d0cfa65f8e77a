-- Gateways as an entity, and keys bound to where they were entered.
--
-- What must stay true: a stored key or token is only ever sent to the gateway URL and instance it was
-- entered for. The database holds that by itself, whoever writes: moving a channel to another gateway
-- or instance clears its stored key (the app writes the new one after the move, in the same
-- transaction), and moving a gateway clears its global key. A channel uses its gateway's global key only
-- when `uses_gateway_key` is set, which only the service path (CLI, platform staff's tools) may do.
-- Gateway URLs are stored canonical (lib/net/canonical-origin.ts): one spelling per place, so
-- `unique (gateway_url, instance_name)` on channels cannot be dodged with an alias such as `localhost`.

-- The SQL side of lib/net/canonical-origin.ts: true only for a URL that canonicalGatewayUrl returns
-- unchanged (http/https, lowercase host without a trailing dot, no literal alias of loopback, no
-- IPv4-mapped IPv6, no default port, no user info, query, fragment or trailing slash).
create function public.is_canonical_gateway_url(url text) returns boolean
language plpgsql immutable set search_path = '' as $$
declare
  m text[];
  h text;
  inner_host text;
  octet constant text := '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
begin
  if url ~ '[^!-~]' then return false; end if;
  m := regexp_match(url,
    '^(https?)://(\[[0-9a-f:]+\]|[^][/:@?#%\s\\]+)(:[1-9][0-9]{0,4})?((/[^?#\s\\]*[^/?#\s\\])?)$');
  if m is null then return false; end if;
  h := m[2];
  if m[3] is not null and (substr(m[3], 2)::int > 65535
      or (m[1] = 'http' and m[3] = ':80') or (m[1] = 'https' and m[3] = ':443')) then
    return false;
  end if;
  -- The path as URL writes it (dot segments resolved, unsafe characters escaped), with unreserved
  -- characters unescaped and escapes in upper case (RFC 3986 §6.2.2).
  if m[4] ~ '/\.\.?(/|$)' or m[4] ~ '["<>`{}]' then return false; end if;
  if m[4] ~ '%([a-f][0-9a-fA-F]|[0-9A-F][a-f]|3[0-9]|4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|2D|2E|5F|7E)' then
    return false;
  end if;

  if h like '[%' then
    inner_host := substr(h, 2, length(h) - 2);
    if inner_host in ('::1', '::') or inner_host ~ '^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$' then return false; end if;
    begin
      -- Compressed as WHATWG URL writes it (PostgreSQL writes ::/96 and ::ffff:0:0/96 dotted).
      return host(inner_host::inet) = inner_host or host(inner_host::inet) like '%.%';
    exception when others then
      return false;
    end;
  end if;

  if h <> lower(h) or h like '%.' or h = 'localhost' or h like '%.localhost' then return false; end if;
  -- A host whose last label is a number is an IPv4 address to URL: canonical only as dotted decimal.
  if substring(h from '([^.]*)$') ~ '^([0-9]+|0x[0-9a-f]*)$' then
    if h !~ ('^' || octet || '(\.' || octet || '){3}$') then return false; end if;
    if h = '0.0.0.0' or (h like '127.%' and h <> '127.0.0.1') then return false; end if;
  end if;
  return true;
end
$$;
revoke all on function public.is_canonical_gateway_url(text) from public, anon;
grant execute on function public.is_canonical_gateway_url(text) to authenticated, service_role;

create table public.gateways (
  id uuid primary key default gen_random_uuid(),
  provider text not null default 'evolution' check (provider in ('evolution')),
  -- Canonical; `origin` (scheme://host[:port]) is what a key is bound to.
  base_url text not null,
  origin text not null generated always as (substring(base_url from '^[a-z]+://[^/]+')) stored,
  name text not null check (length(trim(name)) between 1 and 120),
  -- Who runs it (a person, a team, a vendor), for whoever is paged when it is down.
  operator text check (length(operator) <= 200),
  -- Null: run by platform staff and usable by every tenant; otherwise one tenant's own gateway.
  owner_tenant_id uuid references public.tenants(id) on delete cascade,
  -- Sealed with CHANNEL_SECRET_KEY; never readable by users (column grants below).
  global_key_ciphertext text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint gateways_base_url_owner_key unique nulls not distinct (base_url, owner_tenant_id)
);
create index gateways_owner_idx on public.gateways (owner_tenant_id);

-- Backfill: one tenant-owned gateway per tenant and gateway URL already in use, canonical only as far as
-- case and trailing slashes (new URLs are canonicalized by the application and checked below).
insert into public.gateways (provider, base_url, name, owner_tenant_id)
select distinct on (c.tenant_id, u.url) c.provider, u.url, substring(u.url from '^[a-z]+://([^/]+)'), c.tenant_id
from public.channels c cross join lateral (select lower(rtrim(c.gateway_url, '/')) as url) u
order by c.tenant_id, u.url, c.created_at;

-- Not valid: checked for every row written from now on, not for what the backfill carried over.
alter table public.gateways add constraint gateways_base_url_canonical
  check (public.is_canonical_gateway_url(base_url)) not valid;

alter table public.channels add column gateway_id uuid references public.gateways(id);
alter table public.channels add column uses_gateway_key boolean not null default false;
update public.channels c set gateway_id = g.id, gateway_url = g.base_url
from public.gateways g
where g.owner_tenant_id = c.tenant_id and g.base_url = lower(rtrim(c.gateway_url, '/'));
alter table public.channels alter column gateway_id set not null;
create index channels_gateway_idx on public.channels (gateway_id);

-- A moved channel has no key until a new one is written.
alter table public.channel_secrets alter column api_key_ciphertext drop not null;

-- Binds a channel to its gateway: `gateway_url` always equals the gateway's base_url. A write that names
-- only a URL (older paths, plain SQL) gets the tenant's own gateway for it, created when missing. Moving
-- the channel (gateway, URL or instance) clears its stored key and its use of the gateway's key.
-- Security definer to read and create gateways whatever the caller sees; it cannot widen what the caller
-- may do: the channels row it returns still passes the caller's RLS check, or the statement (and the
-- gateway it created) is rolled back.
create function public.channels_bind_gateway() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  gw record;
begin
  if tg_op = 'UPDATE' and new.gateway_id = old.gateway_id then
    -- Only a URL was written, or the channel changes tenant: bind it to that tenant's gateway for the URL.
    select g.base_url, g.owner_tenant_id into gw from public.gateways g where g.id = new.gateway_id;
    if (new.gateway_url is distinct from old.gateway_url and new.gateway_url is distinct from gw.base_url)
       or (new.tenant_id <> old.tenant_id and gw.owner_tenant_id is not null) then
      new.gateway_id := null;
    end if;
  end if;
  if new.gateway_id is null then
    insert into public.gateways as g (provider, base_url, name, owner_tenant_id)
    values (new.provider, new.gateway_url, coalesce(substring(new.gateway_url from '^[a-z]+://([^/]+)'), new.gateway_url),
      new.tenant_id)
    on conflict (base_url, owner_tenant_id) do update set updated_at = g.updated_at
    returning g.id into new.gateway_id;
  end if;

  select g.base_url, g.owner_tenant_id, g.provider into gw from public.gateways g where g.id = new.gateway_id;
  if not found then
    raise exception 'gateway % does not exist', new.gateway_id using errcode = '23503';
  end if;
  if gw.owner_tenant_id is not null and gw.owner_tenant_id <> new.tenant_id then
    raise exception 'gateway % belongs to another tenant', new.gateway_id using errcode = '42501';
  end if;
  if gw.provider <> new.provider then
    raise exception 'gateway % is a % gateway, not %', new.gateway_id, gw.provider, new.provider using errcode = '23514';
  end if;
  new.gateway_url := gw.base_url;

  if tg_op = 'UPDATE' and (new.gateway_id, new.gateway_url, new.instance_name)
      is distinct from (old.gateway_id, old.gateway_url, old.instance_name) then
    new.uses_gateway_key := false;
    update public.channel_secrets set api_key_ciphertext = null, updated_at = now() where channel_id = new.id;
  end if;
  return new;
end
$$;

-- Fires after channels_10_bind_gateway (triggers fire in name order), so it sees the final row. Invoker
-- rights: current_user is the caller's role.
create function public.channels_guard_gateway_key() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not new.uses_gateway_key or current_user not in ('authenticated', 'anon') then return new; end if;
  if tg_op = 'UPDATE' then
    if old.uses_gateway_key then return new; end if;
  end if;
  raise exception 'only the service path may let a channel use its gateway''s global key' using errcode = '42501';
  return new;
end
$$;

create trigger channels_10_bind_gateway before insert or update on public.channels
  for each row execute function public.channels_bind_gateway();
create trigger channels_20_guard_gateway_key before insert or update on public.channels
  for each row execute function public.channels_guard_gateway_key();

-- A gateway's key is bound to its URL: a new URL drops the key unless the same write brings a new one.
-- Its owner never changes (its channels are bound to that owner).
create function public.gateways_bind_key() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.owner_tenant_id is distinct from old.owner_tenant_id then
    raise exception 'a gateway''s owner cannot change' using errcode = '42501';
  end if;
  if new.base_url is distinct from old.base_url
     and new.global_key_ciphertext is not distinct from old.global_key_ciphertext then
    new.global_key_ciphertext := null;
  end if;
  return new;
end
$$;

-- Channels follow their gateway's URL; channels_bind_gateway then clears their stored keys.
create function public.gateways_move_channels() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.channels set gateway_url = new.base_url, updated_at = now() where gateway_id = new.id;
  return null;
end
$$;

create trigger gateways_bind_key before update on public.gateways
  for each row execute function public.gateways_bind_key();
create trigger gateways_move_channels after update of base_url on public.gateways
  for each row when (new.base_url is distinct from old.base_url) execute function public.gateways_move_channels();

revoke all on function public.channels_bind_gateway() from public, anon, authenticated;
revoke all on function public.channels_guard_gateway_key() from public, anon, authenticated;
revoke all on function public.gateways_bind_key() from public, anon, authenticated;
revoke all on function public.gateways_move_channels() from public, anon, authenticated;

alter table public.gateways enable row level security;

-- Members read their tenant's gateways; platform staff read every gateway, their own included.
create policy gateways_read on public.gateways for select to authenticated
  using (owner_tenant_id in (select public.readable_tenant_ids()) or public.is_platform_admin());
create policy gateways_insert on public.gateways for insert to authenticated
  with check (public.is_tenant_admin(owner_tenant_id));
create policy gateways_update on public.gateways for update to authenticated
  using (public.is_tenant_admin(owner_tenant_id)) with check (public.is_tenant_admin(owner_tenant_id));
create policy gateways_delete on public.gateways for delete to authenticated
  using (public.is_tenant_admin(owner_tenant_id));

-- As for channel_secrets: no table-level SELECT, so the key column can be written but never read back.
revoke all on public.gateways from anon, authenticated;
grant select (id, provider, base_url, origin, name, operator, owner_tenant_id, created_at, updated_at)
  on public.gateways to authenticated;
grant insert (provider, base_url, name, operator, owner_tenant_id, global_key_ciphertext)
  on public.gateways to authenticated;
grant update (base_url, name, operator, global_key_ciphertext, updated_at) on public.gateways to authenticated;
grant delete on public.gateways to authenticated;
