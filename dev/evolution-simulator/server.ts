import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleControl } from "./control-routes";
import { handleGateway } from "./gateway-routes";
import type { InstanceSpec, InstanceSummary, Scenario, ScenarioOptions, SimulatorOptions } from "./model";
import { SimulatorCore, type EmitRequest, type RuntimeConfig } from "./simulator-core";
import type { DeliveryResult } from "./webhook-delivery";

/**
 * A local Evolution API v2 stand-in: the same endpoints, shapes and quirks as the real gateway, with
 * per-instance scenarios switchable at run time (programmatically or through `/__control`).
 * Lookups are by name or token (maps), so the cost of a request does not grow with the instance count.
 */

export interface EvolutionSimulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8081`. */
  url: string;
  port: number;
  globalApiKey: string;
  addInstance(spec: InstanceSpec): InstanceSummary;
  removeInstance(name: string): boolean;
  setScenario(name: string, scenario: Scenario, options?: ScenarioOptions): InstanceSummary;
  /** The phone scans the pending QR: the instance comes up open. Throws when no QR is pending. */
  pair(name: string): InstanceSummary;
  /** The gateway process restarts and reconnects every stored instance (logged-out ones included). */
  restartGateway(): Promise<void>;
  /** Delivers webhook events now through the instance's webhook config (an array: one burst). */
  emit(name: string, request?: EmitRequest | EmitRequest[]): Promise<DeliveryResult[]>;
  stats(name: string): InstanceSummary;
  list(): InstanceSummary[];
  configure(config: RuntimeConfig): void;
  reset(): void;
  /** Resolves when no webhook delivery is queued or in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEvolutionSimulator(options: SimulatorOptions): Promise<EvolutionSimulator> {
  const core = new SimulatorCore(options);
  const host = options.host ?? "127.0.0.1";

  const server = createServer({ keepAliveTimeout: 10_000, requestTimeout: 0 }, (req: IncomingMessage, res: ServerResponse) => {
    // Prefixing keeps a path like `//x` a path instead of a host.
    const url = new URL(`http://simulator${req.url ?? "/"}`);
    const handled = url.pathname.startsWith("/__control") ? handleControl(core, req, res, url) : handleGateway(core, req, res, url);
    handled.catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end(String(error));
    });
  });
  server.maxHeadersCount = 100;

  server.listen({ port: options.port ?? 0, host, backlog: 4096 });
  await once(server, "listening");

  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  core.serverUrl = url;

  return {
    url,
    port,
    globalApiKey: core.options.globalApiKey,
    addInstance: (spec) => core.upsertInstance(spec),
    removeInstance: (name) => core.removeInstance(name),
    setScenario: (name, scenario, scenarioOptions) => core.setScenario(name, scenario, scenarioOptions),
    pair: (name) => core.pair(name),
    restartGateway: () => core.restartGateway(),
    emit: (name, request) => core.emit(name, request),
    stats: (name) => core.stats(name),
    list: () => core.list(),
    configure: (config) => core.configure(config),
    reset: () => core.reset(),
    idle: () => core.idle(),
    stop: async () => {
      core.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Hanging requests (gateway_down "hang") and idle keep-alive sockets would hold close() forever.
      server.closeAllConnections();
      await closed;
    },
  };
}
