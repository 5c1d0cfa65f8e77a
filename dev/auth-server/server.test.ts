import { createClient, type SupabaseClient, type SupabaseClientOptions } from "@supabase/supabase-js";
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { startAuthServer, type AuthServerHandle } from "./server";

const PASSWORD = "correct horse battery";
const USERS = [
  { id: "00000000-0000-4000-8000-000000000001", email: "ana@example.test", password: PASSWORD },
  { id: "00000000-0000-4000-8000-000000000002", email: "bia@example.test", password: PASSWORD },
];

// ws's constructor overloads (address: null first) do not match realtime-js's structural type.
type Transport = NonNullable<NonNullable<SupabaseClientOptions<"public">["realtime"]>["transport"]>;
const transport = WebSocket as unknown as Transport;

const servers: AuthServerHandle[] = [];

async function start(options: Partial<Parameters<typeof startAuthServer>[0]> = {}) {
  const server = await startAuthServer({ users: USERS, log: () => {}, nodeEnv: "test", ...options });
  servers.push(server);
  return server;
}

function client(server: AuthServerHandle): SupabaseClient {
  return createClient(server.url, "demo-publishable-key", {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport },
  });
}

async function signIn(server: AuthServerHandle, email = USERS[0].email) {
  const supabase = client(server);
  const { data, error } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
  expect(error).toBeNull();
  if (!data.session) throw new Error("no session");
  return { supabase, session: data.session };
}

const count = (server: AuthServerHandle, path: string) =>
  server.requests.filter((request) => request.path === `/auth/v1${path}`).length;

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  vi.unstubAllEnvs();
});

describe("local auth server with supabase-js", () => {
  let server: AuthServerHandle;
  beforeEach(async () => {
    server = await start();
  });

  it("signs in with a password and issues an ES256 token shaped like Supabase's", async () => {
    const { session } = await signIn(server);
    expect(session.token_type).toBe("bearer");
    expect(session.expires_in).toBe(3600);
    expect(session.user.email).toBe(USERS[0].email);

    expect(decodeProtectedHeader(session.access_token)).toMatchObject({ alg: "ES256", kid: server.kid });
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      sub: USERS[0].id,
      aud: "authenticated",
      role: "authenticated",
      email: USERS[0].email,
      iss: `${server.url}/auth/v1`,
      aal: "aal1",
      exp: session.expires_at,
    });
    expect(typeof claims.session_id).toBe("string");
  });

  it("answers a wrong password with invalid_credentials", async () => {
    const { data, error } = await client(server).auth.signInWithPassword({ email: USERS[0].email, password: "nope" });
    expect(data.session).toBeNull();
    expect(error?.status).toBe(400);
    expect(error?.code).toBe("invalid_credentials");
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    const { error } = await client(server).auth.signInWithPassword({ email: "nobody@example.test", password: PASSWORD });
    expect(error?.code).toBe("invalid_credentials");
  });

  it("lets getClaims() verify locally against the JWKS, never calling /user", async () => {
    const { supabase } = await signIn(server);
    const { data, error } = await supabase.auth.getClaims();
    expect(error).toBeNull();
    expect(data?.claims.sub).toBe(USERS[0].id);
    expect(count(server, "/.well-known/jwks.json")).toBe(1);
    expect(count(server, "/user")).toBe(0);
  });

  it("serves the public key the way getClaims needs it", async () => {
    const response = await fetch(`${server.url}/auth/v1/.well-known/jwks.json`, { headers: { apikey: "x" } });
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", kid: server.kid, alg: "ES256", use: "sig", key_ops: ["verify"] });
    expect(keys[0]).not.toHaveProperty("ext");
    expect(keys[0]).not.toHaveProperty("d");
  });

  it("returns the user for a valid bearer token", async () => {
    const { supabase, session } = await signIn(server);
    const { data, error } = await supabase.auth.getUser(session.access_token);
    expect(error).toBeNull();
    expect(data.user?.id).toBe(USERS[0].id);
  });

  it("rotates refresh tokens and refuses a replayed one", async () => {
    const strict = await start({ refreshTokenReuseIntervalSeconds: 0 });
    const { supabase, session } = await signIn(strict);
    const { data, error } = await supabase.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
    expect(data.session?.refresh_token).toBeTruthy();
    expect(data.session?.refresh_token).not.toBe(session.refresh_token);
    expect(decodeJwt(data.session!.access_token).session_id).toBe(decodeJwt(session.access_token).session_id);

    const replay = await client(strict).auth.refreshSession({ refresh_token: session.refresh_token });
    expect(replay.error?.code).toBe("refresh_token_already_used");
    // Reuse is treated as theft: the whole session, including the newest token, is gone.
    const newest = await client(strict).auth.refreshSession({ refresh_token: data.session!.refresh_token });
    expect(newest.error?.code).toBe("refresh_token_not_found");
  });

  it("lets parallel refreshes of the same token both succeed within the reuse interval", async () => {
    const { session } = await signIn(server);
    const [first, second] = await Promise.all([
      client(server).auth.refreshSession({ refresh_token: session.refresh_token }),
      client(server).auth.refreshSession({ refresh_token: session.refresh_token }),
    ]);
    expect(first.error).toBeNull();
    expect(second.error).toBeNull();
    expect(second.data.session?.refresh_token).toBe(first.data.session?.refresh_token);
  });

  it("revokes the session on sign-out: refresh and /user then fail", async () => {
    const { supabase, session } = await signIn(server);
    const { error } = await supabase.auth.signOut();
    expect(error).toBeNull();
    expect(count(server, "/logout")).toBe(1);

    const refreshed = await client(server).auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refreshed.error?.code).toBe("refresh_token_not_found");
    expect(refreshed.data.session).toBeNull();

    const response = await fetch(`${server.url}/auth/v1/user`, {
      headers: { apikey: "x", authorization: `Bearer ${session.access_token}` },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "session_not_found" });
  });

  it("signs out only the current session with scope local", async () => {
    const one = await signIn(server);
    const two = await signIn(server);
    expect((await one.supabase.auth.signOut({ scope: "local" })).error).toBeNull();
    const stillValid = await client(server).auth.refreshSession({ refresh_token: two.session.refresh_token });
    expect(stillValid.error).toBeNull();
  });

  it("rejects a token signed by another key, with or without a known kid", async () => {
    const other = await start();
    const { session: foreign } = await signIn(other);
    const supabase = client(server);

    const unknownKid = await supabase.auth.getClaims(foreign.access_token);
    expect(unknownKid.data).toBeNull();
    expect(unknownKid.error).not.toBeNull();

    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT(decodeJwt((await signIn(server)).session.access_token))
      .setProtectedHeader({ alg: "ES256", kid: server.kid, typ: "JWT" })
      .sign(privateKey);
    const sameKid = await supabase.auth.getClaims(forged);
    expect(sameKid.data).toBeNull();
    expect(sameKid.error?.message).toMatch(/signature/i);

    const response = await fetch(`${server.url}/auth/v1/user`, { headers: { apikey: "x", authorization: `Bearer ${forged}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "bad_jwt" });
  });

  it("rejects an expired token in getClaims", async () => {
    const shortLived = await start({ accessTokenTtlSeconds: 1 });
    const { supabase, session } = await signIn(shortLived);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const { data, error } = await supabase.auth.getClaims(session.access_token);
    expect(data).toBeNull();
    expect(error).not.toBeNull();
  });

  it("requires an apikey header and answers errors as {code, message}", async () => {
    const response = await fetch(`${server.url}/auth/v1/settings`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "no_api_key", message: expect.any(String) });

    const noBearer = await fetch(`${server.url}/auth/v1/user`, { headers: { apikey: "x" } });
    expect(noBearer.status).toBe(401);
  });

  it("answers CORS preflights so the browser client can call it", async () => {
    const response = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "apikey,content-type,x-client-info",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toContain("apikey");
  });

  it("generates a fresh key per start", async () => {
    const other = await start();
    expect(other.kid).not.toBe(server.kid);
  });
});

describe("production guard", () => {
  it("refuses to start with NODE_ENV=production unless allowed", async () => {
    vi.stubEnv("NODE_ENV", "production");
    await expect(startAuthServer({ users: USERS, log: () => {} })).rejects.toThrow(/refuses to start with NODE_ENV=production/);

    const allowed = await startAuthServer({ users: USERS, log: () => {}, allowProduction: true });
    servers.push(allowed);
    expect(allowed.port).toBeGreaterThan(0);
  });
});
