import { openDownstream, readDownstreamRow } from "@/lib/db/downstream";
import { EnvError } from "@/lib/env";
import { errorResponse, toErrorResponse } from "@/lib/http/api-error";
import { WEBHOOK_SECRET_HEADER } from "@/lib/monitor/webhook-drift";
import type { ProviderKind } from "@/lib/providers/types";
import { displayUrl, forwardUrl } from "@/lib/webhooks/downstream";
import { DIRECT_FORWARD_OPTIONS, forwardDownstream, type ForwardOptions } from "@/lib/webhooks/forward-downstream";
import { deliverPendingForwards, type ForwardDeps } from "@/lib/webhooks/forward-queue";
import { MAX_WEBHOOK_BODY_BYTES, receiveWebhook, tooLarge, type ReceiverDeps } from "@/lib/webhooks/receive-event";

/**
 * The receiver route's HTTP side: body reading under a limit, the answer, and the downstream forward.
 * A queued forward is tried at once after the answer (`defer`); what fails there is retried by later
 * monitor passes (lib/webhooks/forward-queue.ts), so nothing depends on the request living on.
 */

export { MAX_WEBHOOK_BODY_BYTES };

export interface WebhookRequestDeps extends ReceiverDeps {
  /** Runs a task after the response is sent (Next.js after()); it must not delay the answer. */
  defer: (task: () => Promise<void>) => void;
  /** How forwards reach downstreams (tests inject a resolver and a fetch); the deployment's by default. */
  forwarding?: Pick<ForwardDeps, "outbound" | "fetch" | "timeoutMs">;
  /** For a body too large to queue, sent from the request itself. */
  directForwardOptions?: ForwardOptions;
  /** After an event changed a channel's state, once answered (the incident step for its tenant). Must not throw. */
  afterTransition?: (channelId: string) => Promise<unknown>;
}

/** The immediate attempt's share: a few rows of the one channel, well inside the route's maxDuration. */
const IMMEDIATE = { limit: 20, budgetMs: 15_000 };

/** Reads at most `limit` bytes: a sender cannot make the receiver buffer more, whatever Content-Length says. */
export async function readBodyCapped(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function forwardDeps(deps: WebhookRequestDeps): ForwardDeps {
  return { db: deps.db, secretKey: deps.secretKey, clock: deps.clock, ...deps.forwarding };
}

function scheduleQueued(deps: WebhookRequestDeps, channelId: string): void {
  deps.defer(async () => {
    try {
      await deliverPendingForwards(forwardDeps(deps), { channelId, ...IMMEDIATE });
    } catch (error) {
      // The rows stay queued: the next monitor pass sends them.
      console.error(`webhook forward for channel ${channelId} failed; left for the next pass:`, error instanceof Error ? error.message : error);
    }
  });
}

/** A body too large to queue: sent now, with retries, before answering; a failure is logged (never with the query). */
async function forwardDirect(deps: WebhookRequestDeps, channelId: string, body: Uint8Array, suffix: string): Promise<void> {
  const row = await readDownstreamRow(deps.db, channelId);
  const downstream = row && openDownstream(row, deps.secretKey);
  if (!downstream) return;
  const result = await forwardDownstream(
    { url: forwardUrl(downstream, suffix), headers: downstream.headers, body },
    { ...(deps.directForwardOptions ?? DIRECT_FORWARD_OPTIONS), ...deps.forwarding },
  );
  const what = `a ${body.byteLength}-byte body for channel ${channelId} (too large to queue) to ${displayUrl(downstream.url)}`;
  if (result.delivered) console.warn(`webhook forward: sent ${what} from the request`);
  else console.error(`webhook forward: gave up on ${what} after ${result.attempts} attempt(s): ${result.error ?? `HTTP ${result.status}`}`);
}

export async function handleWebhookRequest(
  request: Request,
  target: {
    provider: ProviderKind;
    channelId: string;
    /** The secret from the URL, for a gateway that sends no custom header (Z-API); else the header's. */
    secret?: string;
  },
  loadDeps: () => Promise<WebhookRequestDeps>,
): Promise<Response> {
  try {
    const deps = await loadDeps();
    const declared = Number(request.headers.get("content-length") ?? "0");
    const received = await receiveWebhook(deps, {
      provider: target.provider,
      channelId: target.channelId,
      secret: target.secret ?? request.headers.get(WEBHOOK_SECRET_HEADER),
      declaredLength: Number.isFinite(declared) ? declared : 0,
      readBody: (limit) => readBodyCapped(request, limit),
    });
    if (received.forward?.kind === "queued") scheduleQueued(deps, received.forward.channelId);
    const afterTransition = deps.afterTransition;
    if (received.outcome === "transition" && afterTransition) deps.defer(async () => void (await afterTransition(target.channelId)));
    if (received.forward?.kind === "direct") {
      await forwardDirect(deps, received.forward.channelId, received.forward.body, received.forward.suffix).catch((error: unknown) => {
        console.error("webhook forward of a large body failed unexpectedly", error instanceof Error ? error.message : error);
      });
    }
    return Response.json(
      { ok: true, event: received.event, outcome: received.outcome },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof EnvError) return errorResponse(500, "misconfigured", error.message);
    return toErrorResponse(error);
  }
}
