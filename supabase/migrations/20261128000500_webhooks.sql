-- Push updates from the gateway's webhook, and "connected but silent".

-- The newest state-bearing webhook event applied to the channel, in the gateway's own order: its
-- timestamp (the gateway's clock, comparable only with other events from the same gateway) and its
-- dedupe key as a tie-break. An event at or before this pair is a repeat or arrived late: it is dropped.
alter table public.channel_status add column last_event_occurred_at timestamptz;
alter table public.channel_status add column last_event_key text;

-- Set while the channel reports open but has delivered no event for longer than its
-- silence_threshold_seconds: the time of the last event (or of the connection, if none came since).
-- Null whenever the channel is not silent. Written by the monitor pass; cleared by the receiver.
alter table public.channel_status add column silent_since timestamptz;
