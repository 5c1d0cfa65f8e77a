import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleControl } from "./control-routes";
import type { Scenario, ScenarioOptions, SessionSpec, SessionSummary, WahaSimulatorOptions } from "./model";
import { handleGateway } from "./routes";
import { WahaSimulatorCore } from "./simulator-core";

/**
 * A local WAHA stand-in: the same routes, status machine, error shapes and quirks as a WAHA server
 * (README.md lists them), with per-session scenarios switchable at run time.
 */

export interface WahaSimulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:24331`. */
  url: string;
  port: number;
  apiKey: string;
  addSession(spec: SessionSpec): SessionSummary;
  removeSession(name: string): boolean;
  setScenario(name: string, scenario: Scenario, options?: ScenarioOptions): SessionSummary;
  /** The phone scans the QR code shown: WORKING. Throws when none is showing. */
  pair(name: string): SessionSummary;
  /** The phone unlinks the device: the session FAILS and needs a new QR scan. */
  logOutFromPhone(name: string): SessionSummary;
  /** The WAHA process restarts: Core stops every session and forgets their config; Plus starts them again. */
  restartServer(tier?: "core" | "plus"): void;
  stats(name: string): SessionSummary;
  list(): SessionSummary[];
  reset(): void;
  /** Resolves when no webhook delivery is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWahaSimulator(options: WahaSimulatorOptions): Promise<WahaSimulator> {
  const core = new WahaSimulatorCore(options);
  const host = options.host ?? "127.0.0.1";
  const server = createServer({ keepAliveTimeout: 10_000, requestTimeout: 0 }, (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(`http://simulator${req.url ?? "/"}`);
    const handled = url.pathname.startsWith("/__control") ? handleControl(core, req, res, url) : handleGateway(core, req, res, url);
    handled.catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end(String(error));
    });
  });
  server.listen({ port: options.port ?? 0, host, backlog: 1024 });
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    apiKey: core.options.apiKey,
    addSession: (spec) => core.upsert(spec),
    removeSession: (name) => core.remove(name),
    setScenario: (name, scenario, scenarioOptions) => core.setScenario(name, scenario, scenarioOptions),
    pair: (name) => core.pair(name),
    logOutFromPhone: (name) => core.logOutFromPhone(name),
    restartServer: (tier = "core") => core.restartServer(tier),
    stats: (name) => core.stats(name),
    list: () => core.list(),
    reset: () => core.reset(),
    idle: () => core.idle(),
    stop: async () => {
      core.shutdown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Hanging requests (gateway_down "hang") and idle keep-alive sockets would hold close() forever.
      server.closeAllConnections();
      await closed;
    },
  };
}
