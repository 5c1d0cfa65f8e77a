import type { Tx } from "@/lib/db/client";
import type { DemoScenario } from "@/lib/demo/demo-data";

export interface HistoryChannel {
  channelId: string;
  tenantId: string;
  scenario: DemoScenario;
}

/**
 * Thirty days of plausible uptime history for freshly seeded demo channels, so a first `npm run demo`
 * already has bars and charts to look at. Deterministic (hashes, not randomness), shaped by each
 * channel's scenario, with one six-hour monitor outage twelve days ago that shows as "no data" —
 * exactly how Sentinela reports time nobody was watching. Hourly rows in UTC, daily rows rolled up in
 * the tenant's own timezone, the way the monitor writes them.
 */
export async function seedDemoHistory(tx: Tx, channels: HistoryChannel[], now: Date): Promise<void> {
  if (channels.length === 0) return;
  const input = JSON.stringify(channels.map((c) => ({ channel_id: c.channelId, tenant_id: c.tenantId, scenario: c.scenario })));
  await tx`
    with ch as (
      select * from jsonb_to_recordset(${input}::text::jsonb) as x(channel_id uuid, tenant_id uuid, scenario text)
    ),
    grid as (
      select ch.*, h.hour,
        extract(epoch from (date_trunc('hour', ${now}::timestamptz) - h.hour)) / 3600 as age_h,
        abs(hashtext(ch.channel_id::text || h.hour::text)) % 1000 as r
      from ch
      cross join generate_series(
        date_trunc('hour', ${now}::timestamptz) - interval '30 days',
        date_trunc('hour', ${now}::timestamptz) - interval '1 hour',
        interval '1 hour') as h(hour)
    ),
    shaped as (
      select *, case
        when age_h between 288 and 293 then 'none'
        -- Added a few hours ago and never scanned: no history before that, down since.
        when scenario = 'never_paired' and age_h >= 4 then 'none'
        when scenario = 'never_paired' then 'down'
        when scenario = 'logged_out' and age_h < 48 then 'down'
        when scenario in ('replaced', 'wrong_api_key', 'malformed_json') and age_h < 6 then 'down'
        when scenario = 'gateway_down' and age_h < 20 then 'down'
        when scenario = 'stuck_connecting' and age_h < 3 then 'degraded'
        -- Cloud API numbers Meta blocked a day ago, or limits (restricted counts as degraded).
        when scenario = 'sending_blocked' and age_h < 26 then 'down'
        when scenario = 'sending_limited' and age_h < 30 then 'degraded'
        when scenario in ('drops_and_recovers', 'flapping') and r < 45 then 'down'
        when r < 8 then 'degraded'
        when r < 11 then 'down'
        else 'up' end as health
      from grid
    ),
    hourly as (
      insert into public.channel_uptime_hours (channel_id, tenant_id, hour, up_seconds, degraded_seconds,
        down_seconds, checks, failed_checks, latency_sum_ms, latency_count, latency_max_ms)
      select channel_id, tenant_id, hour,
        case health when 'up' then 3600 when 'none' then 0 else 3600 - (600 + r * 3) end,
        case health when 'degraded' then 600 + r * 3 else 0 end,
        case health when 'down' then 600 + r * 3 else 0 end,
        case health when 'none' then 0 else 120 end,
        case health when 'down' then 20 else 0 end,
        case health when 'none' then 0 else 120 * lat end,
        case health when 'none' then 0 else 120 end,
        case health when 'none' then 0 else lat * 2 end
      from (select *, case when scenario = 'slow' then 2900 + r / 5 else 25 + r % 40 end as lat from shaped) s
      on conflict (channel_id, hour) do nothing
      returning channel_id, tenant_id, hour, up_seconds, degraded_seconds, down_seconds, checks, failed_checks,
        latency_sum_ms, latency_count, latency_max_ms
    )
    insert into public.channel_uptime_days (channel_id, tenant_id, day, up_seconds, degraded_seconds,
      down_seconds, checks, failed_checks, latency_sum_ms, latency_count, latency_max_ms)
    select h.channel_id, h.tenant_id, (h.hour at time zone t.timezone)::date, sum(h.up_seconds), sum(h.degraded_seconds),
      sum(h.down_seconds), sum(h.checks), sum(h.failed_checks), sum(h.latency_sum_ms), sum(h.latency_count),
      max(h.latency_max_ms)
    from hourly h join public.tenants t on t.id = h.tenant_id
    group by 1, 2, 3
    on conflict (channel_id, day) do nothing
  `;
}
