import { startEvolutionSimulator, type EvolutionSimulator } from "@/dev/evolution-simulator/server";
import type { Scenario, ScenarioOptions } from "@/dev/evolution-simulator/model";
import { createChannel } from "@/lib/channels/create-channel";
import { generateSecretKey } from "@/lib/crypto/secret-box";
import type { Sql } from "@/lib/db/client";
import { createWebhookAdoptionStore } from "@/lib/db/downstream";
import { createMonitorStore } from "@/lib/db/monitor-store";
import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import { runMonitorPass, type PassDeps, type PassOptions } from "@/lib/monitor/run-monitor-pass";
import type { MonitorStore } from "@/lib/monitor/types";
import { createProviders } from "@/lib/providers/registry";

/**
 * The monitor against a real database and a real (simulated) gateway, with a clock the test moves.
 * Channels are created the way the CLI creates them: sealed API key, status row, the lot.
 */

export const GATEWAY_KEY = "integration-gateway-key";
export const T0 = new Date("2026-03-01T12:00:00.000Z");

export interface Harness {
  sql: Sql;
  simulator: EvolutionSimulator;
  secretKey: string;
  tenantId: string;
  clock: { now: Date; advance(ms: number): void };
  store: MonitorStore;
  deps(overrides?: Partial<PassDeps>): PassDeps;
  pass(options?: Partial<PassOptions>, deps?: Partial<PassDeps>): ReturnType<typeof runMonitorPass>;
  addChannel(name: string, scenario: Scenario, options?: ScenarioOptions & { apiKey?: string }): Promise<string>;
  status(channelId: string): Promise<Record<string, unknown>>;
  actions(channelId: string): Promise<{ kind: string; outcome: string; trigger: string }[]>;
  stop(): Promise<void>;
}

export async function startHarness(sql: Sql, options: { timeoutMs?: number } = {}): Promise<Harness> {
  const simulator = await startEvolutionSimulator({ globalApiKey: GATEWAY_KEY, connectLatencyMs: 40, seed: 7 });
  const secretKey = generateSecretKey();
  const [tenant] = await sql<{ id: string }[]>`
    insert into public.tenants (slug, name) values (${`t-${Math.random().toString(36).slice(2, 10)}`}, 'Pousada Teste') returning id
  `;
  const clock = {
    now: new Date(T0),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const store = createMonitorStore(sql);
  const providers = createProviders({ timeoutMs: options.timeoutMs ?? 2000 });
  // Adoption vets a platform's webhook with no exception to the outbound guard unless a test passes one.
  const webhookAdoption = { store: createWebhookAdoptionStore(sql, secretKey), outbound: {} };
  const deps = (overrides: Partial<PassDeps> = {}): PassDeps => ({
    store, providers, clock: () => new Date(clock.now), random: () => 0.5, secretKey, policy: DEFAULT_RECONNECT_POLICY,
    webhookAdoption, ...overrides,
  });
  return {
    sql, simulator, secretKey, tenantId: tenant.id, clock, store, deps,
    pass: (passOptions = {}, depOverrides = {}) =>
      runMonitorPass(deps(depOverrides), { trigger: "cli", concurrency: 50, budgetMs: 60_000, checkReserveMs: 0, ...passOptions }),
    async addChannel(name, scenario, { apiKey, ...scenarioOptions } = {}) {
      simulator.addInstance({ name, scenario, ...scenarioOptions });
      const channel = await createChannel(
        sql,
        { tenantId: tenant.id, provider: "evolution", gatewayUrl: simulator.url, instanceName: name, apiKey: apiKey ?? GATEWAY_KEY, displayName: name },
        secretKey,
      );
      // New channels are due "now" by the database's clock; make them due by the test's.
      await sql`update public.channel_status set next_check_at = ${clock.now}, since = ${clock.now} where channel_id = ${channel.id}`;
      return channel.id;
    },
    async status(channelId) {
      const [row] = await sql`select * from public.channel_status where channel_id = ${channelId}`;
      return row;
    },
    async actions(channelId) {
      return sql<{ kind: string; outcome: string; trigger: string }[]>`
        select kind, outcome, trigger from public.channel_actions where channel_id = ${channelId} order by id
      `;
    },
    stop: () => simulator.stop(),
  };
}
