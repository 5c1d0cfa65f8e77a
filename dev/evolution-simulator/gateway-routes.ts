import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { BodyError, readJson, sendJson, sendRaw } from "./http-io";
import { GATEWAY_WEBHOOK_EVENTS, SENT_KEPT, type SimInstance } from "./model";
import { instanceRow, qrAnswer, stateAnswer } from "./instance-state";
import { logOut, startConnecting } from "./scenarios";
import type { SimulatorCore } from "./simulator-core";

/**
 * The Evolution API v2 surface, quirks included: auth before existence, HTTP 200 `{"error":true}` for a
 * refused restart, `{"count":0}` from connect, 404 for routes v2 does not have (such as PUT restart).
 */

interface Answer {
  status: number;
  body?: unknown;
}

type Handler = (core: SimulatorCore, instance: SimInstance, req: IncomingMessage) => Promise<Answer>;

const unauthorized = (): Answer => ({
  status: 401,
  body: { status: 401, error: "Unauthorized", response: { message: "Unauthorized" } },
});
const instanceMissing = (name: string): Answer => ({
  status: 404,
  body: { status: 404, error: "Not Found", response: { message: [`The "${name}" instance does not exist`] } },
});
const routeMissing = (req: IncomingMessage): Answer => ({
  status: 404,
  body: { status: 404, error: "Not Found", response: { message: [`Cannot ${req.method} ${req.url}`] } },
});
const badRequest = (...message: string[]): Answer => ({
  status: 400,
  body: { status: 400, error: "Bad Request", response: { message } },
});

const UNAVAILABLE_PAGE =
  "<html><head><title>503 Service Temporarily Unavailable</title></head>" +
  "<body><h1>503 Service Temporarily Unavailable</h1></body></html>";
// JSON.stringify escapes these as \u0000 and \ud800: a valid body that PostgreSQL's jsonb refuses.
const BROKEN_DRIVER: Answer = {
  status: 500,
  body: { status: 500, error: "Internal Server Error", response: { message: ["invalid byte sequence \u0000 near \ud800 in \"instance\""] } },
};
const WELCOME = { status: 200, message: "Welcome to the Evolution API, it is working!", version: "2.3.6-sim" };

async function connect(core: SimulatorCore, instance: SimInstance): Promise<Answer> {
  switch (instance.state) {
    case "open":
      return { status: 200, body: stateAnswer(instance) };
    case "connecting":
      return { status: 200, body: qrAnswer(instance) };
    case "refused":
      return { status: 200, body: { instance: { instanceName: instance.name, status: "refused" }, qrcode: qrAnswer(instance) } };
    case "close":
      await startConnecting(core, instance);
      await sleep(core.options.connectLatencyMs);
      return { status: 200, body: qrAnswer(instance) };
  }
}

async function restart(core: SimulatorCore, instance: SimInstance): Promise<Answer> {
  // The gateway throws BadRequestException (a plain object) and answers its toString() with HTTP 200.
  if (instance.state === "close") return { status: 200, body: { error: true, message: "[object Object]" } };
  // No branch for `refused`: the controller returns undefined and Express sends an empty 200.
  if (instance.state === "refused") return { status: 200, body: undefined };
  if (!instance.needsQr) await startConnecting(core, instance);
  await sleep(core.options.connectLatencyMs);
  return { status: 200, body: instance.state === "open" ? stateAnswer(instance) : qrAnswer(instance) };
}

async function logout(core: SimulatorCore, instance: SimInstance): Promise<Answer> {
  if (instance.state === "close") return badRequest(`The "${instance.name}" instance is not connected`);
  logOut(core, instance);
  return { status: 200, body: { status: "SUCCESS", error: false, response: { message: "Instance logged out" } } };
}

function webhookProblems(body: unknown): string[] {
  const webhook = (body as { webhook?: unknown } | null)?.webhook as Record<string, unknown> | undefined;
  if (typeof webhook !== "object" || webhook === null) return ["instance requires property \"webhook\""];
  const problems: string[] = [];
  if (typeof webhook.enabled !== "boolean") problems.push("webhook.enabled is not of a type(s) boolean");
  if (typeof webhook.url !== "string" || webhook.url === "") problems.push("webhook.url is not of a type(s) string");
  for (const flag of ["byEvents", "base64"]) {
    if (webhook[flag] !== undefined && typeof webhook[flag] !== "boolean") problems.push(`webhook.${flag} is not of a type(s) boolean`);
  }
  const headers = webhook.headers;
  if (headers !== undefined && (typeof headers !== "object" || headers === null || Array.isArray(headers))) {
    problems.push("webhook.headers is not of a type(s) object");
  }
  if (webhook.events !== undefined) {
    if (!Array.isArray(webhook.events)) problems.push("webhook.events is not of a type(s) array");
    else
      webhook.events.forEach((event, index) => {
        if (typeof event !== "string" || !GATEWAY_WEBHOOK_EVENTS.includes(event)) {
          problems.push(`webhook.events[${index}] is not one of enum values: ${GATEWAY_WEBHOOK_EVENTS.join(",")}`);
        }
      });
  }
  return problems;
}

async function setWebhook(core: SimulatorCore, instance: SimInstance, req: IncomingMessage): Promise<Answer> {
  const body = await readJson(req);
  const problems = webhookProblems(body);
  if (problems.length > 0) return badRequest(...problems);
  const input = (body as { webhook: Parameters<SimulatorCore["storeWebhook"]>[1] }).webhook;
  if (input.enabled && !URL.canParse(input.url)) return badRequest('Invalid "url" property');
  return { status: 201, body: core.storeWebhook(instance, input) };
}

/**
 * `POST /message/sendText/{name}` `{"number","text"}` as 2.3.x answers it: 201 with the stored message
 * (`fromMe: true`, `status: "PENDING"`). A session that is not open fails in Baileys and the gateway
 * answers 400 `["Error: Connection Closed"]` (the real one may answer 500 when the number is not in its
 * cache); a number that is not on WhatsApp (here: not 10–15 digits) answers 400 with `exists: false`.
 */
async function sendText(core: SimulatorCore, instance: SimInstance, req: IncomingMessage): Promise<Answer> {
  const body = (await readJson(req)) as { number?: unknown; text?: unknown } | null;
  const problems = [
    ...(typeof body?.number === "string" ? [] : ['instance requires property "number"']),
    ...(typeof body?.text === "string" ? [] : ['instance requires property "text"']),
  ];
  if (problems.length > 0) return badRequest(...problems);
  const { number, text } = body as { number: string; text: string };
  if (text.trim() === "") return badRequest("Text is required");
  const digits = number.replace(/\D/g, "");
  const remoteJid = `${digits}@s.whatsapp.net`;
  // The number check itself needs the session: a closed one fails first.
  if (instance.state !== "open") return badRequest("Error: Connection Closed");
  if (!/^\d{10,15}$/.test(digits)) {
    return { status: 400, body: { status: 400, error: "Bad Request", response: { message: [{ jid: remoteJid, exists: false, number }] } } };
  }
  const id = `3EB0${core.random.text(16, "0123456789ABCDEF")}`;
  const at = new Date();
  instance.sent.push({ id, number: digits, remoteJid, text, at: at.toISOString() });
  if (instance.sent.length > SENT_KEPT) instance.sent.splice(0, instance.sent.length - SENT_KEPT);
  return {
    status: 201,
    body: {
      key: { remoteJid, fromMe: true, id },
      pushName: "Você",
      status: "PENDING",
      message: { conversation: text },
      contextInfo: null,
      messageType: "conversation",
      messageTimestamp: Math.floor(at.getTime() / 1000),
      instanceId: instance.id,
      source: "unknown",
    },
  };
}

const ROUTES: Record<string, Handler> = {
  "GET /instance/connectionState": async (_core, instance) => ({ status: 200, body: stateAnswer(instance) }),
  "GET /instance/connect": connect,
  "POST /instance/restart": restart,
  "DELETE /instance/logout": logout,
  "POST /webhook/set": setWebhook,
  "GET /webhook/find": async (_core, instance) => ({ status: 200, body: instance.webhook }),
  "POST /message/sendText": sendText,
};

function apiKeyOf(req: IncomingMessage): string | undefined {
  const header = req.headers.apikey;
  return Array.isArray(header) ? header[0] : header;
}

/**
 * Faults of the instance's scenario, in the order a real deployment shows them: a proxy in front of a
 * dead gateway fails before auth; latency applies to everything the gateway itself answers.
 * Returns undefined when the request should proceed normally.
 */
async function applyFaults(
  instance: SimInstance,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Answer | "handled" | undefined> {
  if (instance.scenario === "gateway_down") {
    if (instance.downMode === "reset") req.socket.destroy();
    else if (instance.downMode === "503") sendRaw(res, 503, UNAVAILABLE_PAGE, "text/html");
    else if (instance.downMode === "500") send(res, BROKEN_DRIVER);
    // "hang": never answer; the server closes such connections when it stops.
    return "handled";
  }
  if (instance.latencyMs > 0) await sleep(instance.latencyMs);
  if (instance.scenario === "wrong_api_key") return unauthorized();
  return undefined;
}

function send(res: ServerResponse, answer: Answer): void {
  sendJson(res, answer.status, answer.body);
}

async function handleInstanceRoute(core: SimulatorCore, req: IncomingMessage, res: ServerResponse, segments: string[]) {
  const routeKey = `${req.method} /${segments[0]}/${segments[1]}`;
  const name = decodeURIComponent(segments[2]);
  const instance = core.find(name);
  const handler = ROUTES[routeKey];
  if (instance) instance.calls[routeKey] = (instance.calls[routeKey] ?? 0) + 1;
  if (!handler) return send(res, routeMissing(req));
  const key = apiKeyOf(req);
  if (!instance) return send(res, key === core.options.globalApiKey ? instanceMissing(name) : unauthorized());

  const fault = await applyFaults(instance, req, res);
  if (fault === "handled") return;
  if (fault) return send(res, fault);
  if (key !== core.options.globalApiKey && key !== instance.token) return send(res, unauthorized());
  if (instance.scenario === "malformed_json") {
    return sendRaw(res, 200, `{"instance":{"instanceName":"${instance.name}","state":"op`);
  }
  send(res, await handler(core, instance, req));
}

async function handleFetchInstances(core: SimulatorCore, req: IncomingMessage, res: ServerResponse, url: URL) {
  const key = apiKeyOf(req);
  const name = url.searchParams.get("instanceName");
  if (!name) {
    if (key === core.options.globalApiKey) return send(res, { status: 200, body: [...core.all()].map(instanceRow) });
    const own = key ? core.findByToken(key) : undefined;
    return send(res, own ? { status: 200, body: [instanceRow(own)] } : unauthorized());
  }
  const instance = core.find(name);
  if (!instance) return send(res, key === core.options.globalApiKey ? instanceMissing(name) : unauthorized());
  const routeKey = "GET /instance/fetchInstances";
  instance.calls[routeKey] = (instance.calls[routeKey] ?? 0) + 1;
  const fault = await applyFaults(instance, req, res);
  if (fault === "handled") return;
  if (fault) return send(res, fault);
  if (key !== core.options.globalApiKey && key !== instance.token) return send(res, unauthorized());
  if (instance.scenario === "malformed_json") return sendRaw(res, 200, `[{"id":"${instance.id}","name":"${instance.name}",`);
  send(res, { status: 200, body: [instanceRow(instance)] });
}

export async function handleGateway(core: SimulatorCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const segments = url.pathname.split("/").filter(Boolean);
  try {
    if (segments.length === 0 && req.method === "GET") {
      return send(res, { status: 200, body: WELCOME });
    }
    if (req.method === "GET" && segments.length === 2 && segments[0] === "instance" && segments[1] === "fetchInstances") {
      return await handleFetchInstances(core, req, res, url);
    }
    if (segments.length === 3) return await handleInstanceRoute(core, req, res, segments);
    send(res, routeMissing(req));
  } catch (error) {
    if (error instanceof BodyError) return send(res, badRequest(error.message));
    if (error instanceof URIError) return send(res, badRequest("malformed instance name"));
    send(res, { status: 500, body: { status: 500, error: "Internal Server Error", response: { message: [String(error)] } } });
  }
}
