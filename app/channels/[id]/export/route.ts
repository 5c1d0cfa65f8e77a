import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getVerifiedClaims } from "@/lib/auth/session";
import { transitionsCsv } from "@/lib/channels/channels-csv";
import { reasonDescriber } from "@/lib/channels/describe-reason";
import { getChannelDetail, listTransitions } from "@/lib/db/channel-detail";
import { withUser } from "@/lib/db/sessions";
import { errorResponse, toErrorResponse } from "@/lib/http/api-error";
import { loadViewer } from "@/lib/tenancy/viewer";
import { csvResponse } from "@/lib/text/csv";

export const dynamic = "force-dynamic";

/** At most this many transitions per export, newest first (the page shows 50). */
const EXPORT_LIMIT = 10_000;

/**
 * `GET /channels/<id>/export` → text/csv of the channel's state transitions. Read as the signed-in user,
 * as the channel page is: RLS decides, so another tenant's channel (or no UUID at all) is a 404.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const claims = await getVerifiedClaims();
    if (!claims) return errorResponse(401, "unauthorized", "Sign in to export a channel's history.");
    const { id } = await params;
    if (!z.uuid().safeParse(id).success) return errorResponse(404, "not_found", "No such channel.");
    const now = new Date();
    const found = await withUser(claims, async (tx) => {
      const channel = await getChannelDetail(tx, id);
      if (!channel) return null;
      // The stored words behind each reason, as the page shows them: the tenant's admins and platform staff.
      const technical = channel.canManage || (await loadViewer(tx, { sub: claims.sub })).platformAdmin;
      return { channel, technical, transitions: await listTransitions(tx, id, EXPORT_LIMIT) };
    });
    if (!found) return errorResponse(404, "not_found", "No such channel.");
    const describe = reasonDescriber(await getTranslations(), found.technical);
    const day = now.toISOString().slice(0, 10);
    return csvResponse(transitionsCsv(found.transitions, now, describe), `transitions-${found.channel.displayName}-${day}.csv`);
  } catch (error) {
    return toErrorResponse(error);
  }
}
