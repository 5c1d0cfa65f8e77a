import type { Sql } from "@/lib/db/client";

/**
 * One tenant at the size point 10 of the dashboard issue asks about: `channels` channels with 90 days of
 * history, written set-wise (generate_series), never row by row. Deterministic: the same inputs give
 * the same data, so two runs of the benchmark measure the same thing.
 *
 * Per channel: 2,160 hourly rollups (90 days, less a two-day monitor outage 40 days ago, left as no data),
 * the daily rollups derived from them in the tenant's calendar, 30 transitions, 100 raw checks (what
 * pruning keeps) and 20 actions. Fleet-wide: one finished monitor pass every 30 s for 90 days.
 */

export interface BenchSeed {
  tenantId: string;
  userId: string;
  email: string;
  password: string;
  /** A connected channel and the worst one (needs a QR), for the detail page. */
  connectedChannelId: string;
  worstChannelId: string;
  rows: Record<string, number>;
}

const HOURS = 90 * 24;

export async function seedDashboardBench(sql: Sql, options: { channels: number; now: Date }): Promise<BenchSeed> {
  const { now } = options;
  const email = "bench@sentinela.bench";
  const password = "bench-password-not-a-secret";
  const [tenant] = await sql<{ id: string }[]>`
    insert into public.tenants (slug, name, timezone) values ('bench', 'Imobiliária Bench', 'America/Sao_Paulo') returning id`;
  const [user] = await sql<{ id: string }[]>`insert into auth.users (id, email) values (gen_random_uuid(), ${email}) returning id`;
  await sql`insert into public.memberships (tenant_id, user_id, role) values (${tenant.id}, ${user.id}, 'admin')`;

  // Channel i's state: a few of every kind, most connected, as a real fleet looks.
  await sql`
    with made as (
      insert into public.channels (tenant_id, display_name, phone_number, gateway_url, instance_name, created_at)
      select ${tenant.id}, 'Imóvel ' || lpad(i::text, 3, '0'), '+55119' || lpad(i::text, 8, '0'), 'http://127.0.0.1:9',
        'bench-' || i, ${now}::timestamptz - interval '120 days'
      from generate_series(1, ${options.channels}) i
      returning id, tenant_id, substr(instance_name, 7)::int as i
    ),
    secrets as (
      insert into public.channel_secrets (channel_id, tenant_id, api_key_ciphertext)
      select id, tenant_id, 'bench-dummy-ciphertext' from made
    )
    insert into public.channel_state (channel_id, tenant_id, state, reason, since, latency_ms, accounted_until)
    select id, tenant_id, s.state, s.reason, ${now}::timestamptz - (i % 97) * interval '37 minutes', 40 + (i * 7) % 300,
      -- Materialized up to the hour (or a later transition): the rest up to the last check is the open stretch.
      greatest(date_trunc('hour', ${now}::timestamptz), ${now}::timestamptz - (i % 97) * interval '37 minutes')
    from made, lateral (select case
      when i % 50 = 0 then 'needs_qr' when i % 40 = 1 then 'disconnected' when i % 60 = 2 then 'provider_down'
      when i % 70 = 3 then 'connecting' when i % 100 = 4 then 'paused' when i % 90 = 5 then 'replaced'
      else 'connected' end as state) st,
    lateral (select st.state, case st.state
      when 'needs_qr' then 'logged out (device unlinked)' when 'disconnected' then 'connection lost / timed out'
      when 'provider_down' then 'getState: connect ECONNREFUSED 127.0.0.1:9' when 'replaced' then 'connection replaced by another session'
      when 'paused' then 'monitoring paused by an admin' else 'open' end as reason) s
  `;

  await sql`
    update public.channel_schedule k set last_checked_at = ${now}::timestamptz - (abs(hashtext(k.channel_id::text)) % 30) * interval '1 second',
      next_check_at = ${now}::timestamptz + interval '30 seconds'
    from public.channels c where c.id = k.channel_id and c.tenant_id = ${tenant.id}
  `;

  // Hourly rollups: mostly fully up; a deterministic sprinkle of partial outages; one day of no data.
  await sql`
    insert into public.channel_uptime_hours (channel_id, tenant_id, hour, up_seconds, degraded_seconds, down_seconds,
      checks, failed_checks, latency_sum_ms, latency_count, latency_max_ms)
    select c.id, c.tenant_id, h.hour, 3600 - h.bad, 0, h.bad, 120, h.bad / 30, 120 * h.lat, 120, h.lat * 3
    from public.channels c
    cross join lateral (
      select hour,
        case when abs(hashtext(c.id::text || hour::text)) % 97 = 0 then 1800 + abs(hashtext(hour::text)) % 1800 else 0 end as bad,
        60 + abs(hashtext(c.id::text || hour::text)) % 200 as lat
      from generate_series(date_trunc('hour', ${now}::timestamptz) - (${HOURS - 1})::int * interval '1 hour',
        date_trunc('hour', ${now}::timestamptz) - interval '1 hour', interval '1 hour') hour
    ) h
    where c.tenant_id = ${tenant.id}
      and not (h.hour >= ${now}::timestamptz - interval '41 days' and h.hour < ${now}::timestamptz - interval '39 days')
  `;
  await sql`
    insert into public.channel_uptime_days (channel_id, tenant_id, day, up_seconds, degraded_seconds, down_seconds,
      checks, failed_checks, latency_sum_ms, latency_count, latency_max_ms)
    select h.channel_id, h.tenant_id, (h.hour at time zone t.timezone)::date, sum(up_seconds), sum(degraded_seconds),
      sum(down_seconds), sum(checks), sum(failed_checks), sum(latency_sum_ms), sum(latency_count), max(latency_max_ms)
    from public.channel_uptime_hours h join public.tenants t on t.id = h.tenant_id
    where h.tenant_id = ${tenant.id}
    group by 1, 2, 3
  `;
  await sql`
    insert into public.channel_events (channel_id, tenant_id, from_state, to_state, reason, source, occurred_at)
    select c.id, c.tenant_id, case when k % 2 = 0 then 'connected' else 'disconnected' end,
      case when k % 2 = 0 then 'disconnected' else 'connected' end, 'connection lost / timed out', 'monitor',
      ${now}::timestamptz - (k * 3) * interval '1 day' + (abs(hashtext(c.id::text)) % 3600) * interval '1 second'
    from public.channels c cross join generate_series(1, 30) k where c.tenant_id = ${tenant.id}
  `;
  await sql`
    insert into public.channel_checks (channel_id, tenant_id, checked_at, state, gateway_state, latency_ms, detail)
    select c.id, c.tenant_id, ${now}::timestamptz - k * interval '15 minutes', 'connected', 'open', 50 + (k * 13) % 250, 'open'
    from public.channels c cross join generate_series(0, 99) k where c.tenant_id = ${tenant.id}
  `;
  await sql`
    insert into public.channel_actions (channel_id, tenant_id, kind, trigger, requested_at, outcome, detail)
    select c.id, c.tenant_id, case when k % 3 = 0 then 'restart' else 'connect' end, 'monitor',
      ${now}::timestamptz - (k * 4) * interval '1 day', case when k % 5 = 0 then 'failed' else 'ok' end, null
    from public.channels c cross join generate_series(1, 20) k where c.tenant_id = ${tenant.id}
  `;
  await sql`
    insert into public.monitor_runs (trigger, started_at, finished_at, checked, duration_ms)
    select 'cron', at - interval '900 milliseconds', at, ${options.channels}, 900
    from generate_series(${now}::timestamptz - interval '90 days', ${now}::timestamptz, interval '30 seconds') at
  `;
  await sql`analyze`;

  const [connected] = await sql<{ id: string }[]>`
    select channel_id as id from public.channel_status where tenant_id = ${tenant.id} and state = 'connected' order by channel_id limit 1`;
  const [worst] = await sql<{ id: string }[]>`
    select channel_id as id from public.channel_status where tenant_id = ${tenant.id} and state = 'needs_qr' order by channel_id limit 1`;
  const rows: Record<string, number> = {};
  for (const table of ["channels", "channel_uptime_hourly", "channel_uptime_daily", "channel_events", "channel_checks", "channel_actions", "monitor_runs"]) {
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(`public.${table}`)}`;
    rows[table] = n;
  }
  return { tenantId: tenant.id, userId: user.id, email, password, connectedChannelId: connected.id, worstChannelId: worst.id, rows };
}
