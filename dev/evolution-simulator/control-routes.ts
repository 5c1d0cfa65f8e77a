import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { BodyError, readJson, sendJson } from "./http-io";
import { DOWN_MODES, SCENARIOS, SIM_STATES, STORED_STATUSES } from "./model";
import { SimulatorError, type SimulatorCore } from "./simulator-core";

/**
 * The control API under `/__control`: no API key, but only loopback clients are served. Errors leave as
 * `{"error":{"code","message"}}` with a real status.
 */

const scenarioOptions = {
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  downMode: z.enum(DOWN_MODES).optional(),
  recoverAfterMs: z.number().int().min(0).optional(),
  flapIntervalMs: z.number().int().min(10).optional(),
};

const webhookInput = z.object({
  enabled: z.boolean(),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  byEvents: z.boolean().optional(),
  base64: z.boolean().optional(),
  events: z.array(z.string()).optional(),
});

const instanceSpec = z.object({
  name: z.string().min(1).max(200),
  token: z.string().min(1).optional(),
  scenario: z.enum(SCENARIOS).optional(),
  state: z.enum(SIM_STATES).optional(),
  reasonCode: z.number().int().nullable().optional(),
  storedStatus: z.enum(STORED_STATUSES).optional(),
  webhook: webhookInput.optional(),
  ...scenarioOptions,
});

const createBody = z.union([instanceSpec, z.object({ instances: z.array(instanceSpec).max(100_000) })]);
const scenarioBody = z.object({ scenario: z.enum(SCENARIOS), ...scenarioOptions });
const emitBody = z.object({
  event: z.string().min(1).optional(),
  state: z.enum(SIM_STATES).optional(),
  statusReason: z.number().int().nullable().optional(),
  data: z.unknown().optional(),
});
const configBody = z.object({
  connectLatencyMs: z.number().int().min(0).optional(),
  latencyMs: z.number().int().min(0).optional(),
  statusStoreDelayMs: z.number().int().min(0).max(600_000).optional(),
  seed: z.number().int().optional(),
  webhook: z
    .object({
      duplicateRate: z.number().min(0).max(1),
      reorderRate: z.number().min(0).max(1),
      burstSize: z.number().int().min(1).max(100),
      maxAttempts: z.number().int().min(1).max(20),
      retryBaseMs: z.number().int().min(0),
      timeoutMs: z.number().int().min(1),
    })
    .partial()
    .optional(),
});

class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function parseBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await readJson(req));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ControlError(400, "invalid_body", `${issue.path.join(".") || "body"}: ${issue.message}`);
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

async function route(core: SimulatorCore, req: IncomingMessage, segments: string[]): Promise<[number, unknown]> {
  const [resource, rawName, action] = segments;
  const method = req.method ?? "GET";
  if (resource === "health" && method === "GET") return [200, { ok: true, instances: core.size }];
  if (resource === "reset" && method === "POST") {
    core.reset();
    return [200, { ok: true }];
  }
  if (resource === "restart-gateway" && method === "POST") {
    await core.restartGateway();
    return [200, { ok: true, instances: core.list() }];
  }
  if (resource === "config" && method === "POST") {
    core.configure(await parseBody(req, configBody));
    return [200, { ok: true, options: { ...core.options, globalApiKey: undefined } }];
  }
  if (resource !== "instances") throw new ControlError(404, "not_found", "no such control route");

  if (rawName === undefined) {
    if (method === "GET") return [200, { instances: core.list() }];
    if (method === "POST") {
      const body = await parseBody(req, createBody);
      if ("instances" in body) return [201, { instances: body.instances.map((spec) => core.upsertInstance(spec)) }];
      return [201, core.upsertInstance(body)];
    }
  }
  const name = decodeURIComponent(rawName ?? "");
  if (action === undefined) {
    if (method === "GET") return [200, core.stats(name)];
    if (method === "DELETE") {
      if (!core.removeInstance(name)) throw new SimulatorError("not_found", `no instance named "${name}"`);
      return [200, { ok: true }];
    }
  }
  if (method === "POST" && action === "scenario") {
    const { scenario, ...options } = await parseBody(req, scenarioBody);
    return [200, core.setScenario(name, scenario, options)];
  }
  if (method === "POST" && action === "pair") return [200, core.pair(name)];
  if (method === "POST" && action === "emit") {
    const results = await core.emit(name, await parseBody(req, emitBody));
    return [200, { sent: results.length, results }];
  }
  throw new ControlError(404, "not_found", "no such control route");
}

export async function handleControl(core: SimulatorCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) {
    return sendJson(res, 403, { error: { code: "forbidden", message: "the control API only serves loopback clients" } });
  }
  const segments = url.pathname.split("/").filter(Boolean).slice(1);
  try {
    const [status, body] = await route(core, req, segments);
    sendJson(res, status, body);
  } catch (error) {
    if (error instanceof ControlError) return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
    if (error instanceof SimulatorError) {
      return sendJson(res, error.code === "not_found" ? 404 : 409, { error: { code: error.code, message: error.message } });
    }
    if (error instanceof BodyError || error instanceof URIError) {
      return sendJson(res, 400, { error: { code: "invalid_body", message: error.message } });
    }
    sendJson(res, 500, { error: { code: "internal", message: String(error) } });
  }
}
