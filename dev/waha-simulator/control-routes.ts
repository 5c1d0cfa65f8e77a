import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyError, readJson, sendJson } from "../evolution-simulator/http-io";
import { DOWN_MODES, SCENARIOS, type DownMode, type Scenario, type SessionSpec } from "./model";
import type { WahaSimulatorCore } from "./simulator-core";

/**
 * `/__control`: what tests and the demo use to arrange sessions, as the Evolution simulator's control
 * API does. No key, loopback clients only.
 */

function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? "";
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

function validSpec(value: unknown): SessionSpec {
  const spec = value as Partial<SessionSpec> | null;
  if (typeof spec?.name !== "string" || spec.name === "") throw new BodyError("a session needs a name");
  if (spec.scenario !== undefined && !SCENARIOS.includes(spec.scenario as Scenario)) {
    throw new BodyError(`scenario must be one of ${SCENARIOS.join(", ")}`);
  }
  if (spec.downMode !== undefined && !DOWN_MODES.includes(spec.downMode as DownMode)) {
    throw new BodyError(`downMode must be one of ${DOWN_MODES.join(", ")}`);
  }
  return spec as SessionSpec;
}

export async function handleControl(core: WahaSimulatorCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (!isLoopback(req)) return sendJson(res, 403, { error: "control API: loopback clients only" });
  const segments = url.pathname.split("/").filter(Boolean).slice(1).map((segment) => decodeURIComponent(segment));
  try {
    if (segments[0] === "health") return sendJson(res, 200, { ok: true, sessions: core.all().length });
    if (segments[0] === "reset" && req.method === "POST") {
      core.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (segments[0] === "restart-server" && req.method === "POST") {
      const body = (await readJson(req)) as { tier?: string } | null;
      core.restartServer(body?.tier === "plus" ? "plus" : "core");
      return sendJson(res, 200, { ok: true });
    }
    if (segments[0] !== "sessions") return sendJson(res, 404, { error: "unknown control route" });
    if (segments.length === 1 && req.method === "GET") return sendJson(res, 200, core.list());
    if (segments.length === 1 && req.method === "POST") {
      const body = (await readJson(req)) as { sessions?: unknown[] } | null;
      const specs = Array.isArray(body?.sessions) ? body.sessions : [body];
      return sendJson(res, 200, specs.map((spec) => core.upsert(validSpec(spec))));
    }
    const name = segments[1];
    if (!core.find(name)) return sendJson(res, 404, { error: `no session "${name}"` });
    if (segments.length === 2 && req.method === "GET") return sendJson(res, 200, core.stats(name));
    if (segments.length === 2 && req.method === "DELETE") return sendJson(res, 200, { removed: core.remove(name) });
    if (segments[2] === "scenario" && req.method === "POST") {
      const spec = validSpec({ ...((await readJson(req)) as object), name });
      return sendJson(res, 200, core.setScenario(name, spec.scenario ?? "healthy", spec));
    }
    if (segments[2] === "pair" && req.method === "POST") {
      try {
        return sendJson(res, 200, core.pair(name));
      } catch (error) {
        return sendJson(res, 409, { error: (error as Error).message });
      }
    }
    if (segments[2] === "logout" && req.method === "POST") return sendJson(res, 200, core.logOutFromPhone(name));
    sendJson(res, 404, { error: "unknown control route" });
  } catch (error) {
    if (error instanceof BodyError) return sendJson(res, 400, { error: error.message });
    throw error;
  }
}
