import type { ChannelActionDeps } from "@/lib/channels/action-deps";
import type { VerifiedClaims } from "@/lib/db/sessions";
import { insertMembership } from "@/test/factories";
import type { Harness } from "@/test/monitor-harness";

/** Channel actions wired to the harness: its database, simulator, secret key and fake clock. */
export function actionDeps(h: Harness): ChannelActionDeps {
  const { providers, random, policy } = h.deps();
  return { sql: h.sql, providers, clock: () => new Date(h.clock.now), secretKey: h.secretKey, random, policy };
}

/** A new user with `role` in the tenant (the harness's by default), as verified claims. */
export async function member(h: Harness, role: "admin" | "viewer", tenantId = h.tenantId): Promise<VerifiedClaims> {
  const membership = await insertMembership(h.sql, { tenant_id: tenantId, role });
  return { sub: membership.user_id, role: "authenticated" };
}
