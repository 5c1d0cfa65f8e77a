import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireClaims } from "@/lib/auth/session";
import { withUser, type VerifiedClaims } from "@/lib/db/sessions";
import { loadViewer, type Viewer } from "@/lib/tenancy/viewer";

export const TENANT_COOKIE = "sentinela-tenant";

export interface Session {
  claims: VerifiedClaims;
  viewer: Viewer;
}

/** The signed-in user and their tenants, once per request (layout and page share it). */
export const getSession = cache(async (): Promise<Session> => {
  const claims = await requireClaims();
  const preferred = (await cookies()).get(TENANT_COOKIE)?.value;
  const viewer = await withUser(claims, (tx) =>
    loadViewer(tx, { sub: claims.sub, email: typeof claims.email === "string" ? claims.email : undefined }, preferred),
  );
  return { claims, viewer };
});

/** The active tenant, or a 404 for a user who can see none. */
export async function requireActiveTenant(): Promise<Session & { tenant: NonNullable<Viewer["active"]> }> {
  const session = await getSession();
  if (!session.viewer.active) notFound();
  return { ...session, tenant: session.viewer.active };
}
