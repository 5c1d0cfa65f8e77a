import { channelSecretKey } from "@/lib/local-secrets";
import { handleCloudApiDelivery, handleCloudApiHandshake } from "@/lib/webhooks/cloud-api-request";
import { configuredReceiverDeps } from "@/lib/webhooks/receiver-runtime";

export const dynamic = "force-dynamic";
// As for Evolution (../../evolution/[channelId]/route.ts): answering takes milliseconds.
export const maxDuration = 30;

/** Meta's handshake for this channel's callback URL: echoes hub.challenge for the channel's verify token. */
export async function GET(request: Request, { params }: { params: Promise<{ channelId: string }> }): Promise<Response> {
  const { channelId } = await params;
  return handleCloudApiHandshake(request, channelId, channelSecretKey);
}

/** WhatsApp Cloud API deliveries for one channel, signed with the Meta app's secret (X-Hub-Signature-256). */
export async function POST(request: Request, { params }: { params: Promise<{ channelId: string }> }): Promise<Response> {
  const { channelId } = await params;
  return handleCloudApiDelivery(request, channelId, configuredReceiverDeps);
}
