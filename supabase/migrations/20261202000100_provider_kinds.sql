-- More gateway kinds (issue 14): WAHA, Z-API and the WhatsApp Cloud API next to Evolution.
--
-- What must stay true:
-- - A gateway row is one server of one kind: the same base URL may be an Evolution gateway and a WAHA
--   gateway of the same owner (a platform migrating from one to the other behind one host), so the
--   kind is part of the gateway's identity. A channel's provider is always its gateway's.
-- - Credentials follow the rules of the API key: secrets are sealed with CHANNEL_SECRET_KEY by the
--   application, written by tenant admins, read by nobody signed in (Z-API's account Client-Token:
--   channel_secrets.client_token_ciphertext); ids that are not secrets are plain columns (the Cloud
--   API's WhatsApp Business Account id: channels.waba_id).
-- - A stored secret is only ever sent to where it was entered for: moving a channel (gateway, URL,
--   instance, or kind) clears its API key AND its client token, whoever writes (channels_bind_gateway
--   below, replacing the gateways migration's version with the kind taken into account).

alter table public.channels drop constraint channels_provider_check;
alter table public.channels add constraint channels_provider_check
  check (provider in ('evolution', 'waha', 'zapi', 'cloud-api'));
alter table public.gateways drop constraint gateways_provider_check;
alter table public.gateways add constraint gateways_provider_check
  check (provider in ('evolution', 'waha', 'zapi', 'cloud-api'));

alter table public.gateways drop constraint gateways_base_url_owner_key;
alter table public.gateways add constraint gateways_base_url_owner_provider_key
  unique nulls not distinct (base_url, owner_tenant_id, provider);

-- The Cloud API's WhatsApp Business Account id (the `subscribed_apps` edge, its phone-number listing).
alter table public.channels add column waba_id text check (waba_id ~ '^[0-9]{1,30}$');
alter table public.channels add constraint channels_waba_id_cloud_api_only
  check (waba_id is null or provider = 'cloud-api');

-- Z-API's account security token (`Client-Token` header), sealed like the API key.
alter table public.channel_secrets add column client_token_ciphertext text;
grant insert (client_token_ciphertext) on public.channel_secrets to authenticated;
grant update (client_token_ciphertext) on public.channel_secrets to authenticated;

-- As in 20261201000100_gateways.sql, with the gateway's kind: a write that names only a URL (or a new
-- provider) gets the tenant's own gateway of that kind for the URL, created when missing; a move clears
-- every stored secret bound to the old place.
create or replace function public.channels_bind_gateway() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  gw record;
begin
  if tg_op = 'UPDATE' and new.gateway_id = old.gateway_id then
    -- Only a URL or a kind was written, or the channel changes tenant: bind it to that tenant's gateway.
    select g.base_url, g.owner_tenant_id, g.provider into gw from public.gateways g where g.id = new.gateway_id;
    if (new.gateway_url is distinct from old.gateway_url and new.gateway_url is distinct from gw.base_url)
       or (new.provider is distinct from old.provider and new.provider is distinct from gw.provider)
       or (new.tenant_id <> old.tenant_id and gw.owner_tenant_id is not null) then
      new.gateway_id := null;
    end if;
  end if;
  if new.gateway_id is null then
    insert into public.gateways as g (provider, base_url, name, owner_tenant_id)
    values (new.provider, new.gateway_url, coalesce(substring(new.gateway_url from '^[a-z]+://([^/]+)'), new.gateway_url),
      new.tenant_id)
    on conflict (base_url, owner_tenant_id, provider) do update set updated_at = g.updated_at
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

  if tg_op = 'UPDATE' and (new.gateway_id, new.gateway_url, new.instance_name, new.provider)
      is distinct from (old.gateway_id, old.gateway_url, old.instance_name, old.provider) then
    new.uses_gateway_key := false;
    update public.channel_secrets set api_key_ciphertext = null, client_token_ciphertext = null, updated_at = now()
    where channel_id = new.id;
  end if;
  return new;
end
$$;
revoke all on function public.channels_bind_gateway() from public, anon, authenticated;
