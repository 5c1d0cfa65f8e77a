import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BodyError, readJson, sendJson, sendRaw } from "../evolution-simulator/http-io";
import { CloudMessages, type SendFault, type SentCloudMessage } from "./messages";
import { CloudSubscriptions } from "./subscriptions";

/**
 * A local stand-in for the WhatsApp Cloud API's Graph API (v23.0), as far as Sentinela reads it:
 * `GET /v23.0/{phone-number-id}?fields=…` with `Authorization: Bearer <access token>`, answering the
 * phone number's `health_status`, `status`, `quality_rating`, `messaging_limit_tier`,
 * `display_phone_number` and `verified_name`, and Graph's error body
 * `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`: code 190 (HTTP 401) for a token
 * that is not valid (subcode 463: expired), code 100 (HTTP 400) for an id Graph does not know.
 * Awkward answers: an HTML error page (502), garbage with 200, a hang, a reset, and 200 with an error.
 *
 * The phone numbers of a WhatsApp Business Account (an import's listing): `GET
 * /v23.0/{waba-id}/phone_numbers?fields=…&limit=N[&after=CURSOR]`, Graph's cursor paging:
 * `{"data":[…],"paging":{"cursors":{"before","after"},"next"?}}`, `next` (an absolute URL with the
 * `after` cursor) only while more numbers follow; `limit` defaults to 25 and is held to 100. The token
 * must read one of the account's numbers, else code 100 (as Graph answers an account it may not read).
 * Listing scenarios per account: `html_error`, `error_200`, `garbage`, and `endless` (a `next` that
 * always points at the same page).
 */

export const GRAPH_VERSION = "v23.0";

export type CanSend = "AVAILABLE" | "LIMITED" | "BLOCKED";
export type Scenario =
  | "healthy"
  | "limited"
  | "quality_red"
  | "blocked"
  | "number_disconnected"
  | "expired_token"
  | "garbage"
  | "html_error"
  | "hang"
  | "reset"
  | "error_200";

export interface NumberSpec {
  /** The phone number id (the channel's instance name). */
  id: string;
  /** The access token that reads it. */
  token: string;
  scenario?: Scenario;
  wabaId?: string;
  /** As Graph shows it, e.g. `+55 11 90000-0000`. */
  displayPhoneNumber?: string;
  verifiedName?: string;
}

export type ListingScenario = "normal" | "html_error" | "error_200" | "garbage" | "endless";

export const DEFAULT_PAGE_LIMIT = 25;
export const MAX_PAGE_LIMIT = 100;

interface SimNumber extends Required<NumberSpec> {
  calls: number;
}

export interface CloudApiSimulator {
  url: string;
  port: number;
  addNumber(spec: NumberSpec): void;
  setScenario(id: string, scenario: Scenario): void;
  /** How `GET /{waba-id}/phone_numbers` answers for this account. */
  setListingScenario(wabaId: string, scenario: ListingScenario): void;
  /** Pages of this account's listing answered so far. */
  listingCalls(wabaId: string): number;
  /** Requests answered for this number (hangs included). */
  calls(id: string): number;
  /** The contact wrote to the number: free text may go to them for 24 hours (messages.ts). */
  customerWrote(id: string, waId: string, atMs?: number): void;
  /** A refusal every send from this number gets until cleared with null (rate limits, undeliverable). */
  setSendFault(id: string, fault: SendFault | null): void;
  /** Text messages this number sent (POST /{id}/messages), oldest first. */
  sent(id: string): SentCloudMessage[];
  /** The apps subscribed to each WABA's webhooks (subscriptions.ts), and their awkward answers. */
  subscriptions: CloudSubscriptions;
  stop(): Promise<void>;
}

const BAD_GATEWAY_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";

function graphError(res: ServerResponse, status: number, code: number, message: string, subcode?: number): void {
  sendJson(res, status, {
    error: { message, type: code === 190 ? "OAuthException" : "GraphMethodException", code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: "AbCdEfGhIjK" },
  });
}

function entity(type: string, id: string, canSend: CanSend, errors?: { error_code: number; error_description: string; possible_solution: string }[]) {
  return { entity_type: type, id, can_send_message: canSend, ...(errors ? { errors } : {}) };
}

/** The phone number node as Graph answers it for the fields asked (only those: Graph omits the others). */
function numberNode(number: SimNumber, fields: string[]): Record<string, unknown> {
  const s = number.scenario;
  const phoneCan: CanSend = s === "blocked" ? "BLOCKED" : s === "limited" ? "LIMITED" : "AVAILABLE";
  const phoneErrors = s === "blocked"
    ? [{ error_code: 141010, error_description: "The Business has been restricted due to policy violations.", possible_solution: "Check WhatsApp Manager for details and request a review." }]
    : s === "limited"
      ? [{ error_code: 141006, error_description: "There is an error with the payment method.", possible_solution: "Add a new payment method to the WhatsApp Business Account." }]
      : undefined;
  const all: Record<string, unknown> = {
    health_status: {
      can_send_message: phoneCan,
      entities: [
        entity("PHONE_NUMBER", number.id, phoneCan, phoneErrors),
        entity("WABA", number.wabaId, "AVAILABLE"),
        entity("BUSINESS", "100000000000001", "AVAILABLE"),
        entity("APP", "200000000000002", "AVAILABLE"),
      ],
    },
    status: s === "number_disconnected" ? "DISCONNECTED" : "CONNECTED",
    quality_rating: s === "quality_red" ? "RED" : "GREEN",
    messaging_limit_tier: "TIER_1K",
    display_phone_number: number.displayPhoneNumber,
    verified_name: number.verifiedName,
  };
  const node: Record<string, unknown> = {};
  for (const field of fields) if (field in all) node[field] = all[field];
  node.id = number.id;
  return node;
}

interface Listings {
  scenarios: Map<string, ListingScenario>;
  calls: Map<string, number>;
}

const cursorOf = (index: number) => Buffer.from(`n:${index}`).toString("base64url");
function indexOfCursor(cursor: string): number | null {
  const match = /^n:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString());
  return match ? Number(match[1]) : null;
}

/** A listed number: only the fields asked (id always), as the phone_numbers edge answers them. */
function listedNode(number: SimNumber, fields: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    display_phone_number: number.displayPhoneNumber,
    verified_name: number.verifiedName,
    status: number.scenario === "number_disconnected" ? "DISCONNECTED" : "CONNECTED",
    quality_rating: number.scenario === "quality_red" ? "RED" : "GREEN",
    code_verification_status: "VERIFIED",
    platform_type: "CLOUD_API",
  };
  const node: Record<string, unknown> = { id: number.id };
  for (const field of fields.length > 0 ? fields : ["verified_name", "code_verification_status", "display_phone_number", "quality_rating", "platform_type"]) {
    if (field in all) node[field] = all[field];
  }
  return node;
}

/** `GET /{waba-id}/phone_numbers`: the account's numbers a page at a time, in the order they were added. */
function handleListing(numbers: Map<string, SimNumber>, listings: Listings, wabaId: string, token: string, url: URL, res: ServerResponse): void {
  const mine = [...numbers.values()].filter((n) => n.wabaId === wabaId);
  if (!mine.some((n) => n.token === token)) {
    return graphError(res, 400, 100, `Unsupported get request. Object with ID '${wabaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33);
  }
  listings.calls.set(wabaId, (listings.calls.get(wabaId) ?? 0) + 1);
  const scenario = listings.scenarios.get(wabaId) ?? "normal";
  if (scenario === "html_error") return sendRaw(res, 502, BAD_GATEWAY_PAGE, "text/html");
  if (scenario === "garbage") return sendRaw(res, 200, "ok<<not json", "text/plain");
  if (scenario === "error_200") return graphError(res, 200, 2, "An unexpected error has occurred. Please retry your request later.");
  const asked = Number(url.searchParams.get("limit") ?? DEFAULT_PAGE_LIMIT);
  const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_PAGE_LIMIT) : DEFAULT_PAGE_LIMIT;
  const after = url.searchParams.get("after");
  let start = 0;
  if (after !== null) {
    const index = indexOfCursor(after);
    if (index === null) return graphError(res, 400, 100, "Invalid cursor", 1349003);
    start = scenario === "endless" ? 0 : index + 1;
  }
  const fields = (url.searchParams.get("fields") ?? "").split(",").filter(Boolean);
  const page = mine.slice(start, start + limit);
  const more = scenario === "endless" || start + page.length < mine.length;
  const body: Record<string, unknown> = { data: page.map((n) => listedNode(n, fields)) };
  if (page.length > 0) {
    const last = start + page.length - 1;
    const paging: Record<string, unknown> = { cursors: { before: cursorOf(start), after: cursorOf(last) } };
    if (more) {
      const next = new URL(url.pathname, "https://graph.facebook.com");
      for (const [key, value] of url.searchParams) if (key !== "after") next.searchParams.set(key, value);
      next.searchParams.set("limit", String(limit));
      next.searchParams.set("after", cursorOf(last));
      paging.next = next.toString();
    }
    body.paging = paging;
  }
  return sendJson(res, 200, body);
}

/** The request's access token when it reads some number; else Graph's answer is sent and null returned. */
function bearerToken(numbers: Map<string, SimNumber>, req: IncomingMessage, res: ServerResponse): string | null {
  const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
  if (!auth) {
    graphError(res, 400, 2500, "An active access token must be used to query information about the current user.");
    return null;
  }
  if (![...numbers.values()].some((n) => n.token === auth[1])) {
    graphError(res, 401, 190, "Invalid OAuth access token - Cannot parse access token");
    return null;
  }
  return auth[1];
}

/** Phone number `id` when the token may use it (counting the call); else Graph's code 100 is sent and null returned. */
function ownNumber(numbers: Map<string, SimNumber>, token: string, id: string, verb: "get" | "post", res: ServerResponse): SimNumber | null {
  const number = numbers.get(id);
  if (!number || number.token !== token) {
    graphError(res, 400, 100, `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33);
    return null;
  }
  number.calls += 1;
  return number;
}

/** The number's fault, answered as Graph (or a broken proxy) would, for reads and sends alike; false when it has none. */
function answerFault(number: SimNumber, hanging: Set<ServerResponse>, req: IncomingMessage, res: ServerResponse): boolean {
  switch (number.scenario) {
    case "expired_token":
      graphError(res, 401, 190, "Error validating access token: Session has expired on Monday, 30-Nov-26 10:00:00 PST.", 463);
      return true;
    case "garbage":
      sendRaw(res, 200, "ok<<not json", "text/plain");
      return true;
    case "html_error":
      sendRaw(res, 502, BAD_GATEWAY_PAGE, "text/html");
      return true;
    case "hang":
      hanging.add(res);
      return true;
    case "reset":
      req.socket.destroy();
      return true;
    case "error_200":
      graphError(res, 200, 2, "An unexpected error has occurred. Please retry your request later.");
      return true;
    default:
      return false;
  }
}

function handle(numbers: Map<string, SimNumber>, listings: Listings, hanging: Set<ServerResponse>, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://simulator");
  const listing = new RegExp(`^/${GRAPH_VERSION.replace(".", "\\.")}/([^/]+)/phone_numbers$`).exec(url.pathname);
  const match = new RegExp(`^/${GRAPH_VERSION.replace(".", "\\.")}/([^/]+)$`).exec(url.pathname);
  if (req.method !== "GET" || !(match || listing)) return graphError(res, 400, 100, "Unknown path components", 2500);
  const token = bearerToken(numbers, req, res);
  if (token === null) return;
  if (listing) return handleListing(numbers, listings, decodeURIComponent(listing[1]), token, url, res);
  const number = ownNumber(numbers, token, decodeURIComponent(match![1]), "get", res);
  if (!number || answerFault(number, hanging, req, res)) return;
  const fields = (url.searchParams.get("fields") ?? "").split(",").filter(Boolean);
  return sendJson(res, 200, numberNode(number, fields));
}

const SEND_PATH = new RegExp(`^/${GRAPH_VERSION.replace(".", "\\.")}/([^/]+)/messages$`);

/** `POST /{phone-number-id}/messages` (messages.ts): the token checks and faults of a read, then the send. */
async function sendMessage(
  numbers: Map<string, SimNumber>, messages: CloudMessages, hanging: Set<ServerResponse>, req: IncomingMessage, res: ServerResponse, id: string,
): Promise<void> {
  const token = bearerToken(numbers, req, res);
  if (token === null) return;
  const number = ownNumber(numbers, token, id, "post", res);
  if (!number || answerFault(number, hanging, req, res)) return;
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (error) {
    if (error instanceof BodyError) return graphError(res, 400, 100, "(#100) Invalid parameter");
    throw error;
  }
  const answer = messages.answer(id, body);
  sendJson(res, answer.status, answer.body);
}

export async function startCloudApiSimulator(options: { port?: number; host?: string } = {}): Promise<CloudApiSimulator> {
  const numbers = new Map<string, SimNumber>();
  const listings: Listings = { scenarios: new Map(), calls: new Map() };
  const hanging = new Set<ServerResponse>();
  const messages = new CloudMessages();
  const subscriptions = new CloudSubscriptions();
  // A token is known when it reads some number, and may read the accounts of the numbers it reads.
  const canRead = (token: string, wabaId: string) => {
    const mine = [...numbers.values()].filter((n) => n.token === token);
    return mine.length === 0 ? null : mine.some((n) => n.wabaId === wabaId);
  };
  const host = options.host ?? "127.0.0.1";
  const server = createServer({ keepAliveTimeout: 10_000, requestTimeout: 0 }, (req, res) => {
    if (subscriptions.handle(req, res, canRead)) return;
    const send = req.method === "POST" ? SEND_PATH.exec(new URL(req.url ?? "/", "http://simulator").pathname) : null;
    if (send) {
      sendMessage(numbers, messages, hanging, req, res, decodeURIComponent(send[1])).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end(String(error));
      });
      return;
    }
    try {
      handle(numbers, listings, hanging, req, res);
    } catch (error) {
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end(String(error));
    }
  });
  server.listen({ port: options.port ?? 0, host });
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const must = (id: string) => {
    const number = numbers.get(id);
    if (!number) throw new Error(`no phone number "${id}" in the simulator`);
    return number;
  };
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    addNumber: (spec) => {
      numbers.set(spec.id, {
        scenario: "healthy", wabaId: "300000000000003", displayPhoneNumber: "+55 11 90000-0000", verifiedName: "Pousada Mar Azul", ...spec, calls: 0,
      });
    },
    setScenario: (id, scenario) => {
      must(id).scenario = scenario;
    },
    setListingScenario: (wabaId, scenario) => {
      listings.scenarios.set(wabaId, scenario);
    },
    listingCalls: (wabaId) => listings.calls.get(wabaId) ?? 0,
    calls: (id) => must(id).calls,
    customerWrote: (id, waId, atMs) => messages.customerWrote(must(id).id, waId, atMs),
    setSendFault: (id, fault) => messages.setFault(must(id).id, fault),
    sent: (id) => messages.sent(id),
    subscriptions,
    stop: async () => {
      for (const res of hanging) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
