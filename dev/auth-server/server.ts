import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generateSigningKey, signAccessToken, verifyAccessToken, type SigningKey } from "./signing-key";
import { SessionStore, type AuthSession, type AuthUserSeed, type StoredUser } from "./session-store";

/**
 * A local stand-in for Supabase Auth (GoTrue): only the parts of `/auth/v1` that supabase-js and
 * @supabase/ssr call for email + password sessions. Access tokens are ES256 JWTs whose kid is served
 * in the JWKS, so `getClaims()` verifies them locally exactly as it does against Supabase.
 */

export type { AuthUserSeed } from "./session-store";

export interface AuthServerOptions {
  port?: number;
  host?: string;
  users: readonly AuthUserSeed[];
  accessTokenTtlSeconds?: number;
  /** GoTrue's refresh-token reuse interval: a just-rotated token may be replayed this long. */
  refreshTokenReuseIntervalSeconds?: number;
  /** Refuses to run when NODE_ENV is production unless this is true (the `--local-demo` flag). */
  allowProduction?: boolean;
  /** Defaults to process.env.NODE_ENV; injectable for tests. */
  nodeEnv?: string;
  log?: (line: string) => void;
}

export interface AuthServerHandle {
  /** The project URL to use as NEXT_PUBLIC_SUPABASE_URL (no `/auth/v1`). */
  url: string;
  port: number;
  kid: string;
  /** Every request served so far, path without the query: lets tests prove what was (not) called. */
  requests: readonly { method: string; path: string }[];
  stop(): Promise<void>;
}

const PREFIX = "/auth/v1";
const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export class ProductionRefusedError extends Error {
  constructor() {
    super(
      "The local auth server is a development stand-in (demo users, shared password, in-memory sessions) " +
        "and refuses to start with NODE_ENV=production. Use Supabase Auth in production, or pass " +
        "--local-demo (allowProduction: true) to run the self-contained demo anyway.",
    );
    this.name = "ProductionRefusedError";
  }
}

export async function startAuthServer(options: AuthServerOptions): Promise<AuthServerHandle> {
  const {
    port = 0,
    host = "127.0.0.1",
    users,
    accessTokenTtlSeconds = 3600,
    refreshTokenReuseIntervalSeconds = 10,
    allowProduction = false,
    nodeEnv = process.env.NODE_ENV,
    log = (line: string) => console.log(line),
  } = options;
  if (nodeEnv === "production" && !allowProduction) throw new ProductionRefusedError();
  if (!Number.isInteger(accessTokenTtlSeconds) || accessTokenTtlSeconds < 1) {
    throw new Error("auth server: accessTokenTtlSeconds must be a positive integer");
  }

  const key = await generateSigningKey();
  const store = new SessionStore(users, refreshTokenReuseIntervalSeconds * 1000, Date.now);
  const requests: { method: string; path: string }[] = [];
  const seenApiKeys = new Set<string>();
  const context: Context = { key, store, issuer: "", ttl: accessTokenTtlSeconds };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://auth.local");
    requests.push({ method: req.method ?? "GET", path: url.pathname });
    setCorsHeaders(req, res);
    handle(context, req, url, seenApiKeys, log)
      .then((reply) => send(res, reply.status, reply.body))
      .catch((error: unknown) => {
        if (error instanceof HttpError) return send(res, error.status, { code: error.code, message: error.message });
        log(`[auth-server] ${req.method} ${url.pathname} failed: ${error instanceof Error ? error.stack : String(error)}`);
        send(res, 500, { code: "unexpected_failure", message: "Unexpected failure in the local auth server" });
      });
  });

  server.listen(port, host);
  await once(server, "listening");
  const actualPort = (server.address() as AddressInfo).port;
  const displayHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${displayHost}:${actualPort}`;
  context.issuer = `${url}${PREFIX}`;

  return {
    url,
    port: actualPort,
    kid: key.kid,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface Context {
  key: SigningKey;
  store: SessionStore;
  issuer: string;
  ttl: number;
}

interface Reply {
  status: number;
  body?: unknown;
}

async function handle(
  context: Context,
  req: IncomingMessage,
  url: URL,
  seenApiKeys: Set<string>,
  log: (line: string) => void,
): Promise<Reply> {
  const method = req.method ?? "GET";
  if (method === "OPTIONS") return { status: 204 };
  if (!url.pathname.startsWith(`${PREFIX}/`)) throw new HttpError(404, "not_found", "Not found");
  const route = url.pathname.slice(PREFIX.length);
  if (route === "/health" && method === "GET") {
    return { status: 200, body: { name: "sentinela-local-auth", version: "1", description: "GoTrue stand-in" } };
  }

  const apiKey = header(req, "apikey");
  if (!apiKey) throw new HttpError(401, "no_api_key", "No API key found in request (send the apikey header)");
  if (!seenApiKeys.has(apiKey)) {
    seenApiKeys.add(apiKey);
    log(`[auth-server] first request with apikey ${describeApiKey(apiKey)}`);
  }

  switch (`${method} ${route}`) {
    case "GET /.well-known/jwks.json":
      return { status: 200, body: { keys: [context.key.publicJwk] } };
    case "GET /settings":
      return { status: 200, body: settings() };
    case "POST /token":
      return token(context, url.searchParams.get("grant_type"), await readJson(req));
    case "GET /user":
      return { status: 200, body: userJson((await authenticate(context, req)).user) };
    case "POST /logout":
      return logout(context, req, url.searchParams.get("scope") ?? "global");
    default:
      throw new HttpError(404, "not_found", `${method} ${url.pathname} is not served by the local auth server`);
  }
}

async function token(context: Context, grantType: string | null, body: Record<string, unknown>): Promise<Reply> {
  if (grantType === "password") {
    const { email, password } = body;
    if (typeof email !== "string" || typeof password !== "string" || !email || !password) {
      throw new HttpError(400, "validation_failed", "Email and password are required");
    }
    const user = context.store.checkPassword(email, password);
    if (!user) throw new HttpError(400, "invalid_credentials", "Invalid login credentials");
    const { session, refreshToken } = context.store.createSession(user);
    return { status: 200, body: await sessionJson(context, user, session, refreshToken) };
  }
  if (grantType === "refresh_token") {
    if (typeof body.refresh_token !== "string" || !body.refresh_token) {
      throw new HttpError(400, "validation_failed", "refresh_token is required");
    }
    const result = context.store.rotate(body.refresh_token);
    if (!result.ok) {
      const message =
        result.code === "refresh_token_already_used"
          ? "Invalid Refresh Token: Already Used"
          : "Invalid Refresh Token: Refresh Token Not Found";
      throw new HttpError(400, result.code, message);
    }
    const user = context.store.userById(result.session.userId);
    if (!user) throw new HttpError(400, "user_not_found", "User from the session no longer exists");
    return { status: 200, body: await sessionJson(context, user, result.session, result.refreshToken) };
  }
  throw new HttpError(400, "unsupported_grant_type", `grant_type must be password or refresh_token`);
}

async function logout(context: Context, req: IncomingMessage, scope: string): Promise<Reply> {
  if (scope !== "global" && scope !== "local" && scope !== "others") {
    throw new HttpError(400, "validation_failed", "scope must be global, local or others");
  }
  const { user, session } = await authenticate(context, req);
  context.store.revokeForLogout(user.id, session.id, scope);
  return { status: 204 };
}

/** A valid bearer token whose session is still active, as GoTrue's requireAuthentication + session check. */
async function authenticate(context: Context, req: IncomingMessage): Promise<{ user: StoredUser; session: AuthSession }> {
  const authorization = header(req, "authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) throw new HttpError(401, "no_authorization", "This endpoint requires a Bearer token");
  let claims;
  try {
    claims = await verifyAccessToken(context.key, match[1], context.issuer);
  } catch (error) {
    const detail = error instanceof Error ? error.message : "unverifiable";
    throw new HttpError(401, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${detail}`);
  }
  const session = context.store.activeSession(claims.session_id);
  if (!session) throw new HttpError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
  const user = typeof claims.sub === "string" ? context.store.userById(claims.sub) : undefined;
  if (!user || user.id !== session.userId) throw new HttpError(403, "user_not_found", "User from sub claim in JWT does not exist");
  return { user, session };
}

async function sessionJson(context: Context, user: StoredUser, session: AuthSession, refreshToken: string) {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + context.ttl;
  const accessToken = await signAccessToken(context.key, {
    iss: context.issuer,
    sub: user.id,
    aud: "authenticated",
    exp,
    iat,
    email: user.email,
    phone: "",
    app_metadata: user.appMetadata,
    user_metadata: user.userMetadata,
    role: "authenticated",
    aal: "aal1",
    amr: [{ method: "password", timestamp: Math.floor(session.createdAt.getTime() / 1000) }],
    session_id: session.id,
    is_anonymous: false,
  });
  return {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: context.ttl,
    expires_at: exp,
    refresh_token: refreshToken,
    user: userJson(user),
  };
}

function userJson(user: StoredUser) {
  const created = user.createdAt.toISOString();
  return {
    id: user.id,
    aud: "authenticated",
    role: "authenticated",
    email: user.email,
    email_confirmed_at: created,
    phone: "",
    confirmed_at: created,
    last_sign_in_at: user.lastSignInAt?.toISOString() ?? null,
    app_metadata: user.appMetadata,
    user_metadata: user.userMetadata,
    identities: [],
    created_at: created,
    updated_at: (user.lastSignInAt ?? user.createdAt).toISOString(),
    is_anonymous: false,
  };
}

function settings() {
  return {
    external: { email: true, phone: false, anonymous_users: false },
    disable_signup: true,
    mailer_autoconfirm: true,
    phone_autoconfirm: false,
    sms_provider: "",
    saml_enabled: false,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.trim() ? first.trim() : undefined;
}

/** Publishable keys are not secret, but a secret key sent here by mistake must not land in logs whole. */
function describeApiKey(apiKey: string): string {
  const kind = apiKey.startsWith("sb_secret_") ? "secret" : apiKey.startsWith("sb_publishable_") ? "publishable" : "other";
  return `"${apiKey.slice(0, 12)}${apiKey.length > 12 ? "…" : ""}" (${kind})`;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "request_too_large", "Request body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, "bad_json", "Could not parse request body as JSON");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new HttpError(400, "bad_json", "Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
  res.setHeader(
    "Access-Control-Allow-Headers",
    req.headers["access-control-request-headers"] ?? "authorization, apikey, content-type, x-client-info, x-supabase-api-version",
  );
  res.setHeader("Access-Control-Expose-Headers", "x-supabase-api-version");
  res.setHeader("Access-Control-Max-Age", "600");
}

/** The API-version header makes supabase-js read `code` from error bodies, as it does from Supabase. */
function send(res: ServerResponse, status: number, body?: unknown): void {
  res.setHeader("X-Supabase-Api-Version", "2024-01-01");
  res.setHeader("Cache-Control", "no-store");
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}
