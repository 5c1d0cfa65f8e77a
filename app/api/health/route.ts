import { getSql } from "@/lib/db/client";
import { getLastPassAt, livenessOf } from "@/lib/db/monitor-runs";
import { env } from "@/lib/env";
import { toErrorResponse } from "@/lib/http/api-error";

export const dynamic = "force-dynamic";

/** A dead-man's switch: 200 while passes keep finishing, 503 once three intervals go by without one. */
export async function GET(): Promise<Response> {
  try {
    const liveness = livenessOf(await getLastPassAt(await getSql()), new Date(), env().MONITOR_INTERVAL_SECONDS);
    return Response.json(
      { ok: liveness.alive, lastPassAt: liveness.lastPassAt, ageSeconds: liveness.ageSeconds, thresholdSeconds: liveness.thresholdSeconds },
      { status: liveness.alive ? 200 : 503, headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return toErrorResponse(error);
  }
}
