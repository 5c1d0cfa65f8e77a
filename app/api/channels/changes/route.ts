import { z } from "zod";
import { getVerifiedClaims } from "@/lib/auth/session";
import { channelStatusVersion } from "@/lib/db/channel-changes";
import { withUser } from "@/lib/db/sessions";
import { errorResponse, toErrorResponse } from "@/lib/http/api-error";

export const dynamic = "force-dynamic";

/** `GET /api/channels/changes?tenant=<id>` → `{ version }`: what /channels polls to show changes within seconds. */
export async function GET(request: Request): Promise<Response> {
  try {
    const claims = await getVerifiedClaims();
    if (!claims) return errorResponse(401, "unauthorized", "Sign in to use this API.");
    const tenant = z.uuid().safeParse(new URL(request.url).searchParams.get("tenant"));
    if (!tenant.success) return errorResponse(400, "bad_request", "tenant must be a tenant id (UUID)");
    const version = await withUser(claims, (tx) => channelStatusVersion(tx, tenant.data));
    return Response.json({ version }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
