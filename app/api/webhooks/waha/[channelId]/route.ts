import { configuredReceiverDeps } from "@/lib/webhooks/receiver-runtime";
import { handleWebhookRequest } from "@/lib/webhooks/webhook-request";

export const dynamic = "force-dynamic";
// As for Evolution (../../evolution/[channelId]/route.ts): answering takes milliseconds.
export const maxDuration = 30;

/** WAHA session webhook deliveries for one channel, authenticated by the channel's own secret header. */
export async function POST(request: Request, { params }: { params: Promise<{ channelId: string }> }): Promise<Response> {
  const { channelId } = await params;
  return handleWebhookRequest(request, { provider: "waha", channelId }, configuredReceiverDeps);
}
