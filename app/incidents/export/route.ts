import { cookies } from "next/headers";
import { getVerifiedClaims } from "@/lib/auth/session";
import { listIncidents } from "@/lib/db/incidents";
import { withUser } from "@/lib/db/sessions";
import { errorResponse, toErrorResponse } from "@/lib/http/api-error";
import { readIncidentFilters } from "@/lib/incidents/incident-filters";
import { incidentsCsv } from "@/lib/incidents/incidents-csv";
import { TENANT_COOKIE } from "@/lib/tenancy/current-viewer";
import { loadViewer } from "@/lib/tenancy/viewer";
import { csvResponse } from "@/lib/text/csv";

export const dynamic = "force-dynamic";

/** At most this many rows per export (the page shows 200). */
const EXPORT_LIMIT = 10_000;

/** `GET /incidents/export?…` → text/csv of /incidents with the same filters, for the active tenant (RLS). */
export async function GET(request: Request): Promise<Response> {
  try {
    const claims = await getVerifiedClaims();
    if (!claims) return errorResponse(401, "unauthorized", "Sign in to export incidents.");
    const filters = readIncidentFilters(new URL(request.url).searchParams);
    const now = new Date();
    const preferred = (await cookies()).get(TENANT_COOKIE)?.value;
    const result = await withUser(claims, async (tx) => {
      // The tenant the pages show (the tenant cookie), as /incidents does.
      const tenant = (await loadViewer(tx, { sub: claims.sub }, preferred)).active;
      return tenant && { tenant, rows: await listIncidents(tx, { tenantId: tenant.id, filters, now, limit: EXPORT_LIMIT }) };
    });
    if (!result) return errorResponse(404, "not_found", "No tenant to export incidents for.");
    const day = now.toISOString().slice(0, 10);
    return csvResponse(incidentsCsv(result.rows, now), `incidents-${result.tenant.slug}-${day}.csv`);
  } catch (error) {
    return toErrorResponse(error);
  }
}
