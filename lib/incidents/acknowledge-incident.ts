import type { Sql } from "@/lib/db/client";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";

export type AcknowledgeResult =
  | { status: "done"; acknowledgedAt: Date }
  | { status: "not_found" }
  | { status: "forbidden" }
  /** Someone acknowledged it first, or it resolved: nothing to stop. */
  | { status: "unchanged" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A tenant admin acknowledges an open incident: it records who and when, and no more reminders are
 * queued for it. Runs as the user: RLS lets only the tenant's admins write, and only in their own name
 * (incidents_acknowledge); a viewer, another tenant's admin or platform staff without admin rights get
 * `forbidden` or `not_found` and change nothing.
 */
export async function acknowledgeIncident(
  sql: Sql,
  claims: VerifiedClaims,
  incidentId: string,
  now: Date,
): Promise<AcknowledgeResult> {
  if (!UUID.test(incidentId)) return { status: "not_found" };
  return runAsUser(sql, claims, async (tx): Promise<AcknowledgeResult> => {
    const [incident] = await tx<{ admin: boolean; open: boolean }[]>`
      select public.is_tenant_admin(tenant_id) as admin, acknowledged_at is null and resolved_at is null as open
      from public.incidents where id = ${incidentId}
    `;
    if (!incident) return { status: "not_found" };
    if (!incident.admin) return { status: "forbidden" };
    if (!incident.open) return { status: "unchanged" };
    const updated = await tx`
      update public.incidents set acknowledged_at = ${now}, acknowledged_by = ${claims.sub}
      where id = ${incidentId} and acknowledged_at is null and resolved_at is null
      returning id
    `;
    return updated.length === 0 ? { status: "unchanged" } : { status: "done", acknowledgedAt: now };
  });
}
