import { configuredReceiverDeps } from "@/lib/webhooks/receiver-runtime";
import { handleWebhookRequest } from "@/lib/webhooks/webhook-request";

export const dynamic = "force-dynamic";
// As for Evolution (../../../evolution/[channelId]/route.ts): answering takes milliseconds.
export const maxDuration = 30;

/**
 * Z-API on-connected / on-disconnected deliveries for one channel. Z-API sends no custom header, so the
 * channel's secret is the URL's last segment, compared in constant time like the header
 * (verify-webhook-secret.ts). The path is a secret: nothing logs request paths (README, "Gateway adapters").
 */
export async function POST(request: Request, { params }: { params: Promise<{ channelId: string; secret: string }> }): Promise<Response> {
  const { channelId, secret } = await params;
  return handleWebhookRequest(request, { provider: "zapi", channelId, secret }, configuredReceiverDeps);
}
