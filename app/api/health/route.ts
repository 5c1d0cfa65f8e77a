import { getSql } from "@/lib/db/client";
import { readHealthFacts } from "@/lib/db/monitor-runs";
import { env } from "@/lib/env";
import { toErrorResponse } from "@/lib/http/api-error";
import { checkMonitorHealth } from "@/lib/monitor/monitor-health";

export const dynamic = "force-dynamic";

/** A dead-man's switch: 200 while the monitor is recording, 503 with the reason otherwise (lib/monitor/monitor-health.ts). */
export async function GET(): Promise<Response> {
  try {
    const health = await checkMonitorHealth({
      readFacts: async (now, intervalSeconds) => readHealthFacts(await getSql(), now, intervalSeconds),
      now: new Date(),
      intervalSeconds: env().MONITOR_INTERVAL_SECONDS,
    });
    return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
