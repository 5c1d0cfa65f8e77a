import { cookies } from "next/headers";
import { getTranslations } from "next-intl/server";
import { getVerifiedClaims } from "@/lib/auth/session";
import { readChannelListQuery } from "@/lib/channels/channel-list-query";
import { channelListCsv } from "@/lib/channels/channels-csv";
import { reasonDescriber } from "@/lib/channels/describe-reason";
import { filterChannels, sortChannels } from "@/lib/channels/select-channels";
import { listChannelSummaries } from "@/lib/db/channel-health";
import { withUser } from "@/lib/db/sessions";
import { errorResponse, toErrorResponse } from "@/lib/http/api-error";
import { TENANT_COOKIE } from "@/lib/tenancy/current-viewer";
import { loadViewer } from "@/lib/tenancy/viewer";
import { csvResponse } from "@/lib/text/csv";

export const dynamic = "force-dynamic";

/**
 * `GET /channels/export?…` → text/csv of the active tenant's channels (RLS, the tenant cookie, as
 * /channels), with the page's filter, search and order and every page of it.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const claims = await getVerifiedClaims();
    if (!claims) return errorResponse(401, "unauthorized", "Sign in to export channels.");
    const query = readChannelListQuery(new URL(request.url).searchParams);
    const now = new Date();
    const preferred = (await cookies()).get(TENANT_COOKIE)?.value;
    const result = await withUser(claims, async (tx) => {
      const viewer = await loadViewer(tx, { sub: claims.sub }, preferred);
      const tenant = viewer.active;
      // The stored words behind each reason, as the page shows them: the tenant's admins and platform staff.
      const technical = tenant?.role === "admin" || viewer.platformAdmin;
      return tenant && { tenant, technical, rows: await listChannelSummaries(tx, tenant.id, now, tenant.timezone) };
    });
    if (!result) return errorResponse(404, "not_found", "No tenant to export channels for.");
    const rows = sortChannels(filterChannels(result.rows, query), query);
    const describe = reasonDescriber(await getTranslations(), result.technical);
    return csvResponse(channelListCsv(rows, describe), `channels-${result.tenant.slug}-${now.toISOString().slice(0, 10)}.csv`);
  } catch (error) {
    return toErrorResponse(error);
  }
}
