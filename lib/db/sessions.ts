import { getSql, type Db, type Sql, type Tx } from "@/lib/db/client";

/** Claims that proxy.ts verified with getClaims(); never built from anything the browser sent unverified. */
export interface VerifiedClaims {
  sub: string;
  role?: string;
  email?: string;
  [claim: string]: unknown;
}

/**
 * Runs `fn` as the signed-in user: one transaction, claims and role set transaction-locally (the
 * pooler and PGlite share sessions between clients, so nothing may outlive the transaction), and RLS
 * decides what every statement inside sees.
 */
export async function runAsUser<T>(sql: Sql, claims: VerifiedClaims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!claims || typeof claims.sub !== "string" || claims.sub.length === 0) {
    throw new Error("withUser needs verified claims with a subject");
  }
  const result = await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ ...claims, role: "authenticated" })}, true)`;
    await tx`set local role authenticated`;
    return fn(tx);
  });
  return result as T;
}

export async function withUser<T>(claims: VerifiedClaims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return runAsUser(await getSql(), claims, fn);
}

/** The cron/CLI path: the connection's own role, which owns the tables and bypasses RLS. */
export async function withService<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  return fn(await getSql());
}
