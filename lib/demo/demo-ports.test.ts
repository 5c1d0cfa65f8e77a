import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  chooseDemoPorts,
  DEFAULT_DEMO_PORTS,
  DemoPortTakenError,
  readPreviousDemoPorts,
  savePreviousDemoPorts,
} from "@/lib/demo/demo-ports";
import { canListen } from "@/lib/net/free-port";

const EPHEMERAL = { low: 32768, high: 60999 };
const held: Server[] = [];

/** Holds a port the way another program would. */
function occupy(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1" }, () => resolve());
    held.push(server);
  });
}

afterEach(async () => {
  await Promise.all(held.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("demo ports", () => {
  it("defaults outside Linux's ephemeral range, all distinct", () => {
    const ports = Object.values(DEFAULT_DEMO_PORTS);
    for (const port of ports) expect(port < EPHEMERAL.low || port > EPHEMERAL.high, String(port)).toBe(true);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it("when the preferred port is taken, picks another that really listens, and says so", async () => {
    const wanted = DEFAULT_DEMO_PORTS.simulator;
    // Whatever else holds the default on this machine, make sure it is held now.
    if (await canListen(wanted)) await occupy(wanted);
    const { ports, notes } = await chooseDemoPorts();
    expect(ports.simulator).not.toBe(wanted);
    expect(await canListen(ports.simulator)).toBe(true);
    expect(notes).toContain(`simulator: port ${wanted} was taken, using ${ports.simulator}`);
    expect(new Set(Object.values(ports)).size).toBe(8);
  });

  it("asks the OS when the previous, the default and the nearby ports are all taken", async () => {
    let next = 41000;
    const { ports, notes } = await chooseDemoPorts({
      previous: { database: 24401 },
      canListen: async (port) => port > 41000 && port < 42000,
      anyFreePort: async () => ++next,
    });
    expect(ports).toEqual({ database: 41001, simulator: 41002, auth: 41003, smtp: 41004, inbox: 41005, waha: 41006, zapi: 41007, cloudApi: 41008 });
    expect(notes).toEqual([
      "database: port 24401 was taken, using 41001",
      `simulator: port ${DEFAULT_DEMO_PORTS.simulator} was taken, using 41002`,
      `auth: port ${DEFAULT_DEMO_PORTS.auth} was taken, using 41003`,
      `smtp: port ${DEFAULT_DEMO_PORTS.smtp} was taken, using 41004`,
      `inbox: port ${DEFAULT_DEMO_PORTS.inbox} was taken, using 41005`,
      `waha: port ${DEFAULT_DEMO_PORTS.waha} was taken, using 41006`,
      `zapi: port ${DEFAULT_DEMO_PORTS.zapi} was taken, using 41007`,
      `cloudApi: port ${DEFAULT_DEMO_PORTS.cloudApi} was taken, using 41008`,
    ]);
  });

  it("uses a port set in the environment as is, and refuses it when taken", async () => {
    const free = await chooseDemoPorts({ configured: { auth: 24999 }, canListen: async () => true });
    expect(free.ports.auth).toBe(24999);
    expect(free.notes).toContain("auth on 24999 (SENTINELA_AUTH_PORT)");
    await expect(chooseDemoPorts({ configured: { auth: 24999 }, canListen: async (port) => port !== 24999 }))
      .rejects.toThrow(DemoPortTakenError);
  });

  it("prefers the previous run's ports, kept in the data directory", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sentinela-ports-"));
    try {
      expect(readPreviousDemoPorts(dir)).toEqual({});
      savePreviousDemoPorts(dir, { database: 24401, simulator: 24402, auth: 24403, smtp: 24404, inbox: 24405, waha: 24406, zapi: 24407, cloudApi: 24408 });
      const previous = readPreviousDemoPorts(dir);
      const { ports, notes } = await chooseDemoPorts({ previous, canListen: async () => true });
      expect(ports).toEqual({ database: 24401, simulator: 24402, auth: 24403, smtp: 24404, inbox: 24405, waha: 24406, zapi: 24407, cloudApi: 24408 });
      expect(notes).toContain("simulator on 24402 (kept from the previous run)");
      // A run from before the Z-API and Cloud API simulators: theirs are the defaults (24332, 24333).
      writeFileSync(path.join(dir, "demo-ports.json"), JSON.stringify({ database: 24401, simulator: 24402, auth: 24403, smtp: 24404, inbox: 24405, waha: 24406 }));
      const older = await chooseDemoPorts({ previous: readPreviousDemoPorts(dir), canListen: async () => true });
      expect([older.ports.zapi, older.ports.cloudApi]).toEqual([24332, 24333]);
      writeFileSync(path.join(dir, "demo-ports.json"), "{torn");
      expect(readPreviousDemoPorts(dir)).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never hands out the app's port or one port twice", async () => {
    const { ports } = await chooseDemoPorts({
      reserved: [DEFAULT_DEMO_PORTS.database],
      previous: { simulator: DEFAULT_DEMO_PORTS.auth },
      canListen: async () => true,
    });
    expect(ports.database).not.toBe(DEFAULT_DEMO_PORTS.database);
    expect(new Set([...Object.values(ports), DEFAULT_DEMO_PORTS.database]).size).toBe(9);
  });
});
