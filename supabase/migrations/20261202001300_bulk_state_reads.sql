-- Bulk state reads (lib/monitor/bulk-state-reads.ts): a gateway's listing (Evolution: fetchInstances)
-- answers for its channels, but it carries the gateway's STORED status, which lags the live one.
--
-- What must stay true: no channel is answered by listings more than 9 checks in a row; the 10th reads
-- the gateway live. listed_checks counts those checks (0 after a live read). It changes in the same
-- status update every check already makes, so it adds no tuple version of its own.
alter table public.channel_status add column listed_checks smallint not null default 0
  check (listed_checks >= 0);
