import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { EMBEDDED_DEFAULT_PORT } from "@/lib/db/embedded";
import { env } from "@/lib/env";
import { anyFreePort, canListen } from "@/lib/net/free-port";

/**
 * The demo's internal ports (database, Evolution API simulator, auth server, the local SMTP inbox and
 * its web page, the WAHA, Z-API and Cloud API simulators). What must stay true:
 * - Defaults lie outside Linux's ephemeral range (32768–60999), where an outgoing connection's local
 *   port (or its TIME_WAIT) can take them at random: 54330 once failed `npm run demo` that way.
 * - A port set in the environment (SENTINELA_*_PORT) is used as is, or the demo stops naming it.
 * - Otherwise the previous run's port is preferred: the demo channels in `.data/` point at the
 *   simulator's URL, and a stable port keeps them pointing right. Then the default, then nearby ports,
 *   then whatever the OS hands out. The demo prints what it chose and why.
 */

export interface DemoPorts {
  database: number;
  simulator: number;
  auth: number;
  smtp: number;
  inbox: number;
  /** The WAHA simulator (the demo's WAHA channels). */
  waha: number;
  /** The Z-API simulator (the demo's Z-API channels). */
  zapi: number;
  /** The Cloud API (Graph) simulator (the demo's Cloud API channels). */
  cloudApi: number;
}

export type DemoService = keyof DemoPorts;
const SERVICES: DemoService[] = ["database", "simulator", "auth", "smtp", "inbox", "waha", "zapi", "cloudApi"];

export const DEFAULT_DEMO_PORTS: DemoPorts = {
  database: EMBEDDED_DEFAULT_PORT, simulator: 24330, auth: 24321, smtp: 24325, inbox: 24326, waha: 24331, zapi: 24332, cloudApi: 24333,
};

export const DEMO_PORT_VARIABLES = {
  database: "SENTINELA_DB_PORT",
  simulator: "SENTINELA_SIMULATOR_PORT",
  auth: "SENTINELA_AUTH_PORT",
  smtp: "SENTINELA_SMTP_PORT",
  inbox: "SENTINELA_INBOX_PORT",
  waha: "SENTINELA_WAHA_SIMULATOR_PORT",
  zapi: "SENTINELA_ZAPI_SIMULATOR_PORT",
  cloudApi: "SENTINELA_CLOUD_API_SIMULATOR_PORT",
} as const satisfies Record<DemoService, string>;

/** How many ports above the default are tried before asking the OS. */
const NEARBY = 20;

export class DemoPortTakenError extends Error {
  constructor(readonly variable: string, readonly port: number) {
    super(`${variable}=${port} is in use by another program: choose another port or unset ${variable}`);
    this.name = "DemoPortTakenError";
  }
}

export interface PortChoice {
  ports: DemoPorts;
  /** One line per port that is not the default, saying why. */
  notes: string[];
}

export interface ChoosePortsOptions {
  /** From the environment: used as is. */
  configured?: Partial<DemoPorts>;
  /** The previous run's, from `.data/demo-ports.json`. */
  previous?: Partial<DemoPorts>;
  /** Ports already spoken for (the app's own PORT). */
  reserved?: number[];
  canListen?: (port: number) => Promise<boolean>;
  anyFreePort?: () => Promise<number>;
}

export async function chooseDemoPorts(options: ChoosePortsOptions = {}): Promise<PortChoice> {
  const listenable = options.canListen ?? canListen;
  const osPort = options.anyFreePort ?? anyFreePort;
  const taken = new Set(options.reserved ?? []);
  const usable = async (port: number) => !taken.has(port) && (await listenable(port));
  const ports = {} as DemoPorts;
  const notes: string[] = [];

  for (const service of SERVICES) {
    const configured = options.configured?.[service];
    if (configured !== undefined) {
      if (!(await usable(configured))) throw new DemoPortTakenError(DEMO_PORT_VARIABLES[service], configured);
      ports[service] = configured;
      notes.push(`${service} on ${configured} (${DEMO_PORT_VARIABLES[service]})`);
      taken.add(configured);
      continue;
    }
    const fallback = DEFAULT_DEMO_PORTS[service];
    const previous = options.previous?.[service];
    const candidates = [
      ...(previous !== undefined ? [previous] : []),
      ...Array.from({ length: NEARBY + 1 }, (_, i) => fallback + i),
    ];
    let chosen: number | undefined;
    for (const port of candidates) {
      if (await usable(port)) {
        chosen = port;
        break;
      }
    }
    chosen ??= await osPort();
    const wanted = previous ?? fallback;
    if (chosen !== wanted) notes.push(`${service}: port ${wanted} was taken, using ${chosen}`);
    else if (chosen !== fallback) notes.push(`${service} on ${chosen} (kept from the previous run)`);
    ports[service] = chosen;
    taken.add(chosen);
  }
  return { ports, notes };
}

/** The environment's SENTINELA_*_PORT settings. */
export function configuredDemoPorts(): Partial<DemoPorts> {
  const config = env();
  const out: Partial<DemoPorts> = {};
  for (const service of SERVICES) {
    const value = config[DEMO_PORT_VARIABLES[service]];
    if (value !== undefined) out[service] = value;
  }
  return out;
}

function savedPortsPath(dataDir: string) {
  return path.join(dataDir, "demo-ports.json");
}

/** What the previous run used; nothing when there was none or the file is unreadable. */
export function readPreviousDemoPorts(dataDir: string): Partial<DemoPorts> {
  const file = savedPortsPath(dataDir);
  if (!existsSync(file)) return {};
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const out: Partial<DemoPorts> = {};
    for (const service of SERVICES) {
      const value = saved[service];
      if (Number.isInteger(value) && (value as number) > 0 && (value as number) <= 65535) out[service] = value as number;
    }
    return out;
  } catch {
    return {};
  }
}

export function savePreviousDemoPorts(dataDir: string, ports: DemoPorts): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(savedPortsPath(dataDir), JSON.stringify(ports, null, 2));
}

export function demoSimulatorUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** Where `sentinela seed --demo` points the demo channels: where the demo runs (or will run) its simulator. */
export function expectedDemoSimulatorUrl(dataDir: string, service: "simulator" | "waha" | "zapi" | "cloudApi" = "simulator"): string {
  const port = configuredDemoPorts()[service] ?? readPreviousDemoPorts(dataDir)[service] ?? DEFAULT_DEMO_PORTS[service];
  return demoSimulatorUrl(port);
}
