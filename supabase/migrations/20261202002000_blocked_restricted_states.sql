-- The Cloud API's states (DESIGN.md): `blocked` (the provider refuses to send for the number) and
-- `restricted` (sending limited: still up, at risk). channel_status.state enumerates every state, so
-- both join its check; incidents already accept `blocked`, and `restricted` is not an alerting state.
alter table public.channel_status drop constraint channel_status_state_check;
alter table public.channel_status add constraint channel_status_state_check check (state in (
  'connected', 'connecting', 'disconnected', 'needs_qr', 'replaced', 'provider_down',
  'misconfigured', 'blocked', 'restricted', 'paused', 'unknown'
));
