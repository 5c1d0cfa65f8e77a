-- The claim at 100,000 channels (issue 13, fan-out): lib/db/monitor-store.ts claimChannels first picks
-- its candidates, the stalest due channels that are monitored, from the narrow channel_schedule and
-- this index alone (an index-only scan: channels' wide rows are not read), instead of joining every
-- channel's row and sorting them all on each claim (~0.9 s a claim at 100,000 channels, ~0.14 s now).
--
-- What must stay true: channel_schedule keeps no index but its primary key (every claim is a HOT
-- update). This one is on channels, which a check never writes: it costs nothing per check.
create index channels_monitored on public.channels (id) include (check_interval_seconds) where monitoring_enabled;
