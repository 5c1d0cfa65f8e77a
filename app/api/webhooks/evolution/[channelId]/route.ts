import { configuredReceiverDeps } from "@/lib/webhooks/receiver-runtime";
import { handleWebhookRequest } from "@/lib/webhooks/webhook-request";

export const dynamic = "force-dynamic";
// Answering takes milliseconds; a queued downstream forward is tried after the answer (after()) and
// retried by later monitor passes. A body too large to queue is forwarded before answering (≈ 24 s at most).
export const maxDuration = 30;

/** Evolution API webhook deliveries for one channel, authenticated by the channel's own secret header. */
export async function POST(request: Request, { params }: { params: Promise<{ channelId: string }> }): Promise<Response> {
  const { channelId } = await params;
  return handleWebhookRequest(request, { provider: "evolution", channelId }, configuredReceiverDeps);
}
