import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { BodyError, readJson, sendJson, sendRaw } from "../evolution-simulator/http-io";
import { randomBytes } from "node:crypto";
import { WAHA_EVENTS, type SessionConfig, type SimSession, type WebhookEntry } from "./model";
import type { WahaSimulatorCore } from "./simulator-core";

/**
 * WAHA's HTTP API as its NestJS controllers answer it (2024.10 source, `src/api/sessions.controller.ts`
 * and `auth.controller.ts`): the X-Api-Key guard before anything, Nest's error bodies
 * (`{"statusCode":404,"message":"Session not found","error":"Not Found"}`), 201 for every POST, a 422
 * with WAHA's own object when the QR code is asked of a session that shows none (after waiting for it),
 * and a 500 that serializes the exception and echoes the request.
 */

interface Answer {
  status: number;
  body?: unknown;
}

const unauthorized: Answer = { status: 401, body: { message: "Unauthorized", statusCode: 401 } };
const notFound = (message: string): Answer => ({ status: 404, body: { statusCode: 404, message, error: "Not Found" } });
const sessionNotFound = notFound("Session not found");
const routeMissing = (req: IncomingMessage): Answer => notFound(`Cannot ${req.method} ${req.url}`);
const badRequest = (...message: string[]): Answer => ({ status: 400, body: { statusCode: 400, message, error: "Bad Request" } });

const UNAVAILABLE_PAGE =
  "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>" +
  "<hr><center>nginx</center></body></html>";

/** WAHA's AllExceptionsFilter: the exception serialized, with the request (body included) echoed back. */
function internalError(req: IncomingMessage, body: unknown): Answer {
  return {
    status: 500,
    body: {
      statusCode: 500,
      timestamp: new Date().toISOString(),
      exception: { message: "Cannot read properties of undefined (reading 'id')", name: "TypeError", stack: "TypeError: …\n    at WhatsappSessionNoWebPlus" },
      request: { path: req.url, method: req.method, body, query: {} },
      version: { version: "2025.9.1-sim", engine: "NOWEB", tier: "PLUS" },
    },
  };
}

function sessionInfo(session: SimSession) {
  return {
    name: session.name,
    status: session.status,
    config: session.config,
    me: session.status === "WORKING" ? { id: session.me.id, pushName: session.me.pushName } : null,
    assignedWorker: "",
    engine: { engine: session.engine },
  };
}

/** SessionDTO: what the session routes (start, stop, restart, update) answer. */
function sessionDto(session: SimSession) {
  return { name: session.name, status: session.status, config: session.config };
}

function configProblems(config: unknown): string[] {
  if (config === undefined || config === null) return [];
  if (typeof config !== "object" || Array.isArray(config)) return ["config must be an object"];
  const webhooks = (config as { webhooks?: unknown }).webhooks;
  if (webhooks === undefined || webhooks === null) return [];
  if (!Array.isArray(webhooks)) return ["config.webhooks must be an array"];
  const problems: string[] = [];
  webhooks.forEach((entry: Partial<WebhookEntry> | null, index) => {
    if (typeof entry?.url !== "string" || !URL.canParse(entry.url)) problems.push(`config.webhooks.${index}.url must be a URL address`);
    if (!Array.isArray(entry?.events)) problems.push(`config.webhooks.${index}.events must be an array`);
    else if (entry.events.some((event) => event !== "*" && !WAHA_EVENTS.includes(event))) {
      problems.push(`config.webhooks.${index}.events each value in events must be one of the following values: *, ${WAHA_EVENTS.join(", ")}`);
    }
    const headers = entry?.customHeaders;
    if (headers !== undefined && headers !== null && (!Array.isArray(headers) || headers.some((h) => typeof h?.name !== "string" || typeof h?.value !== "string"))) {
      problems.push(`config.webhooks.${index}.customHeaders must be an array of {name, value}`);
    }
  });
  return problems;
}

type SessionHandler = (core: WahaSimulatorCore, session: SimSession, req: IncomingMessage) => Promise<Answer>;

const SESSION_ROUTES: Record<string, SessionHandler> = {
  "GET ": async (_core, session) => ({ status: 200, body: sessionInfo(session) }),
  "POST start": async (core, session) => {
    core.start(session);
    return { status: 201, body: sessionDto(session) };
  },
  "POST stop": async (core, session) => {
    core.stop(session);
    return { status: 201, body: sessionDto(session) };
  },
  "POST restart": async (core, session) => {
    core.restart(session);
    return { status: 201, body: sessionDto(session) };
  },
  "PUT ": async (core, session, req) => {
    const body = (await readJson(req)) as { config?: unknown } | null;
    const problems = configProblems(body?.config);
    if (problems.length > 0) return badRequest(...problems);
    core.updateConfig(session, (body?.config ?? {}) as SessionConfig);
    return { status: 200, body: sessionDto(session) };
  },
};

/** `GET /api/{session}/auth/qr`: waits for SCAN_QR_CODE (WAHA: up to 5 s), else 422 with WAHA's object. */
async function qr(core: WahaSimulatorCore, name: string, url: URL): Promise<Answer> {
  const session = core.find(name);
  // A stopped session is not running, and WAHA looks only among running ones.
  if (!session || session.status === "STOPPED") {
    return notFound(`We didn't find a session with name '${name}'.\nPlease start it first by using POST /api/sessions/${name}/start request`);
  }
  const deadline = Date.now() + core.options.qrWaitMs;
  while (session.status !== "SCAN_QR_CODE" && Date.now() < deadline) await sleep(25);
  if (session.status !== "SCAN_QR_CODE" || !session.qr) {
    return {
      status: 422,
      body: {
        error: "Session status is not as expected. Try again later or restart the session",
        session: name, status: session.status, expected: ["SCAN_QR_CODE"],
      },
    };
  }
  if (url.searchParams.get("format") === "raw") return { status: 200, body: { value: session.qr } };
  return { status: 200, body: { mimetype: "image/png", data: Buffer.from(session.qr).toString("base64") } };
}

/**
 * Faults of the session's scenario, in the order a real deployment shows them: a proxy in front of a
 * dead server fails before the API key is read; latency applies to what WAHA itself answers.
 */
async function applyFaults(session: SimSession | undefined, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<Answer | "handled" | undefined> {
  if (!session) return undefined;
  if (session.scenario === "gateway_down") {
    if (session.downMode === "reset") req.socket.destroy();
    else if (session.downMode === "502") sendRaw(res, 502, UNAVAILABLE_PAGE, "text/html");
    else if (session.downMode === "500") send(res, internalError(req, body));
    // "hang": never answer; the server closes such connections when it stops.
    return "handled";
  }
  if (session.latencyMs > 0) await sleep(session.latencyMs);
  return undefined;
}

const SENT_KEPT = 200;

/**
 * The message object each engine's sendText returns, as WAHA passes it through (2025 source,
 * `session.*.core.ts`): WEBJS whatsapp-web.js's Message (`id` an object with `_serialized`), NOWEB
 * Baileys' WAMessage (`key.id`, `status`), GOWS WAHA's own message DTO (`id` a serialized string). The
 * GOWS shape is the simulator's reading of `messageResponse`, not a captured answer.
 */
function sentMessageBody(session: SimSession, chatId: string, text: string, id: string, at: Date): Record<string, unknown> {
  const seconds = Math.floor(at.getTime() / 1000);
  switch (session.engine) {
    case "WEBJS":
      return {
        _data: { id: { fromMe: true, remote: chatId, id, _serialized: `true_${chatId}_${id}` }, body: text, type: "chat", t: seconds },
        id: { fromMe: true, remote: chatId, id, _serialized: `true_${chatId}_${id}` },
        ack: 0, hasMedia: false, body: text, type: "chat", timestamp: seconds, from: session.me.id, to: chatId,
        deviceType: "web", isForwarded: false, fromMe: true, hasQuotedMsg: false,
      };
    case "GOWS":
      return { id: `true_${chatId}_${id}`, timestamp: seconds, from: session.me.id, fromMe: true, to: chatId, body: text, hasMedia: false, ack: 1, ackName: "SERVER" };
    case "NOWEB":
    default:
      return {
        key: { remoteJid: chatId.replace(/@c\.us$/, "@s.whatsapp.net"), fromMe: true, id },
        message: { extendedTextMessage: { text } },
        messageTimestamp: String(seconds),
        status: "PENDING",
      };
  }
}

/**
 * `POST /api/sendText` `{session, chatId, text}`: 201 with the engine's message object. The session is
 * named in the body, so its faults apply once the body is read. A session WAHA is not running answers
 * 404 (as the QR route does), one that is not WORKING 422 with WAHA's "not as expected" object.
 */
async function sendText(core: WahaSimulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = (await readJson(req)) as { session?: unknown; chatId?: unknown; text?: unknown } | null;
  const name = typeof body?.session === "string" ? body.session : "default";
  const session = core.find(name);
  const fault = await applyFaults(session, req, res, body);
  if (fault === "handled") return;
  if (apiKeyOf(req) !== core.options.apiKey) return send(res, unauthorized);
  if (session?.scenario === "malformed_json") return sendRaw(res, 200, `{"key":{"remoteJid":"`);
  if (session?.scenario === "error_200") {
    return send(res, { status: 200, body: { error: true, message: "upstream WAHA request failed", statusCode: 502 } });
  }
  count(session, "POST /api/sendText");
  const problems = [
    ...(typeof body?.chatId === "string" ? [] : ["chatId should not be empty", "chatId must be a string"]),
    ...(typeof body?.text === "string" ? [] : ["text must be a string"]),
  ];
  if (problems.length > 0) return send(res, badRequest(...problems));
  if (!session || session.status === "STOPPED") {
    return send(res, notFound(`We didn't find a session with name '${name}'.\nPlease start it first by using POST /api/sessions/${name}/start request`));
  }
  if (session.status !== "WORKING") {
    return send(res, {
      status: 422,
      body: { error: "Session status is not as expected. Try again later or restart the session", session: name, status: session.status, expected: ["WORKING"] },
    });
  }
  const { chatId, text } = body as { chatId: string; text: string };
  if (!/^\d{10,15}@(c\.us|s\.whatsapp\.net)$/.test(chatId)) return send(res, badRequest("chatId must be a phone number followed by @c.us"));
  const id = randomBytes(10).toString("hex").toUpperCase();
  const at = new Date();
  session.sent.push({ id, chatId, text, at: at.toISOString() });
  if (session.sent.length > SENT_KEPT) session.sent.splice(0, session.sent.length - SENT_KEPT);
  return send(res, { status: 201, body: sentMessageBody(session, chatId, text, id, at) });
}

function send(res: ServerResponse, answer: Answer): void {
  sendJson(res, answer.status, answer.body);
}

function apiKeyOf(req: IncomingMessage): string | undefined {
  const header = req.headers["x-api-key"];
  return Array.isArray(header) ? header[0] : header;
}

function count(session: SimSession | undefined, key: string): void {
  if (session) session.calls[key] = (session.calls[key] ?? 0) + 1;
}

export async function handleGateway(core: WahaSimulatorCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const segments = url.pathname.split("/").filter(Boolean).map((segment) => decodeURIComponent(segment));
  try {
    if (segments[0] !== "api") return send(res, routeMissing(req));
    if (segments.length === 2 && segments[1] === "sendText") {
      if (req.method !== "POST") return send(res, routeMissing(req));
      return await sendText(core, req, res);
    }
    // GET /api/sessions/{name}, /api/{name}/auth/qr: which session the request is about, for its faults.
    const sessionName = segments[1] === "sessions" ? segments[2] : segments[2] === "auth" ? segments[1] : undefined;
    const session = sessionName ? core.find(sessionName) : undefined;
    const fault = await applyFaults(session, req, res, undefined);
    if (fault === "handled") return;
    if (apiKeyOf(req) !== core.options.apiKey) return send(res, unauthorized);
    if (session?.scenario === "malformed_json") return sendRaw(res, 200, `{"name":"${session.name}","status":"WOR`);
    if (session?.scenario === "error_200") {
      return send(res, { status: 200, body: { error: true, message: "upstream WAHA request failed", statusCode: 502 } });
    }

    if (segments[1] === "sessions" && segments.length === 2 && req.method === "GET") {
      const all = url.searchParams.get("all") === "true";
      const listed = core.all().filter((candidate) => all || candidate.status !== "STOPPED");
      return send(res, { status: 200, body: listed.map(sessionInfo) });
    }
    if (segments[1] === "sessions" && (segments.length === 3 || segments.length === 4)) {
      const routeKey = `${req.method} ${segments[3] ?? ""}`;
      const handler = SESSION_ROUTES[routeKey];
      count(session, `${req.method} /api/sessions/{name}${segments[3] ? `/${segments[3]}` : ""}`);
      if (!handler) return send(res, routeMissing(req));
      if (!session) return send(res, sessionNotFound);
      return send(res, await handler(core, session, req));
    }
    if (segments.length === 4 && segments[2] === "auth" && segments[3] === "qr" && req.method === "GET") {
      count(session, "GET /api/{name}/auth/qr");
      return send(res, await qr(core, segments[1], url));
    }
    send(res, routeMissing(req));
  } catch (error) {
    if (error instanceof BodyError) return send(res, badRequest(error.message));
    if (error instanceof URIError) return send(res, badRequest("malformed session name"));
    send(res, internalError(req, undefined));
  }
}
