import { EnvError } from "@/lib/env";
import { ApiError, errorResponse, toErrorResponse } from "@/lib/http/api-error";
import { WEBHOOK_SECRET_HEADER } from "@/lib/monitor/webhook-drift";
import type { ProviderKind } from "@/lib/providers/types";
import {
  DEFAULT_FORWARD_OPTIONS,
  describeDownstream,
  forwardDownstream,
  type ForwardJob,
  type ForwardOptions,
} from "@/lib/webhooks/forward-downstream";
import { receiveWebhook, type ReceiverDeps } from "@/lib/webhooks/receive-event";

/**
 * The receiver route's HTTP side: size limit, body reading, the answer, and handing the downstream
 * forward to `defer` so it runs after the answer is sent.
 */

/**
 * Gateway events are small (state events well under 1 KB); message events forwarded downstream may carry
 * thumbnails. A 400 is never retried by the gateway, so the limit errs on the large side.
 */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface WebhookRequestDeps extends ReceiverDeps {
  /** Runs a task after the response is sent (Next.js after()); it must not delay the answer. */
  defer: (task: () => Promise<void>) => void;
  forwardOptions?: ForwardOptions;
}

const tooLarge = () =>
  new ApiError(400, "body_too_large", `Body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes; the event was not read.`);

/** Reads at most `limit` bytes: a sender cannot make the receiver buffer more, whatever Content-Length says. */
async function readBodyCapped(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError(400, "invalid_body", "Body is not valid UTF-8.");
  }
}

function scheduleForward(deps: WebhookRequestDeps, job: ForwardJob): void {
  deps.defer(async () => {
    try {
      const result = await forwardDownstream(job, deps.forwardOptions ?? DEFAULT_FORWARD_OPTIONS);
      if (!result.delivered) {
        console.warn(
          `webhook forward to ${describeDownstream(job.url)} for channel ${job.channelId} gave up after ` +
            `${result.attempts} attempt(s): ${result.error ?? `HTTP ${result.status}`}`,
        );
      }
    } catch (error) {
      console.error("webhook forward failed unexpectedly", error);
    }
  });
}

export async function handleWebhookRequest(
  request: Request,
  target: { provider: ProviderKind; channelId: string },
  loadDeps: () => Promise<WebhookRequestDeps>,
): Promise<Response> {
  try {
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_WEBHOOK_BODY_BYTES) throw tooLarge();
    const deps = await loadDeps();
    const received = await receiveWebhook(deps, {
      ...target,
      secret: request.headers.get(WEBHOOK_SECRET_HEADER),
      readBody: () => readBodyCapped(request, MAX_WEBHOOK_BODY_BYTES),
    });
    if (received.forward) scheduleForward(deps, received.forward);
    return Response.json(
      { ok: true, event: received.event, outcome: received.outcome },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof EnvError) return errorResponse(500, "misconfigured", error.message);
    return toErrorResponse(error);
  }
}
