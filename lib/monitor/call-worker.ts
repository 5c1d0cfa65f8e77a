import { z } from "zod";
import type { PassSummary } from "@/lib/monitor/types";

/**
 * Starts one worker invocation of a fanned-out pass: POST /api/cron/monitor/worker on this deployment,
 * with the cron secret, and reads its summary. `fetch` is injected in tests.
 *
 * What must stay true: the secret goes only to `baseUrl` (APP_URL, else the origin the cron call itself
 * reached, which its caller had to hold the secret for), and never along a redirect. An answer that is
 * not the documented summary is a failure, as is none within `timeoutMs`; it rejects, never hangs.
 */

const summarySchema = z.object({
  ok: z.literal(true),
  runId: z.string().min(1),
  checked: z.number().int().min(0),
  transitions: z.number().int().min(0),
  reconnects: z.number().int().min(0),
  failed: z.number().int().min(0),
  durationMs: z.number().min(0),
  remaining: z.number().int().min(0),
});

export const WORKER_PATH = "/api/cron/monitor/worker";

export function workerCaller(options: { baseUrl: string; secret: string; timeoutMs: number; fetch?: typeof fetch }) {
  const url = `${options.baseUrl.replace(/\/+$/, "")}${WORKER_PATH}`;
  const send = options.fetch ?? fetch;
  return async function callWorker(): Promise<PassSummary> {
    let response: Response;
    try {
      response = await send(url, {
        method: "POST",
        headers: { authorization: `Bearer ${options.secret}`, "user-agent": "Sentinela-Monitor/1" },
        redirect: "error",
        cache: "no-store",
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        throw new Error(`no answer within ${options.timeoutMs} ms`);
      }
      const cause = error instanceof Error ? (error.cause as { code?: string } | undefined)?.code : undefined;
      throw new Error(`unreachable (${cause ?? (error instanceof Error ? error.message : String(error))})`);
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
      throw new Error(`HTTP ${response.status}${typeof code === "string" ? ` ${code}` : ""}`);
    }
    const summary = summarySchema.safeParse(body);
    if (!summary.success) throw new Error(`HTTP ${response.status} without a pass summary`);
    return summary.data;
  };
}
