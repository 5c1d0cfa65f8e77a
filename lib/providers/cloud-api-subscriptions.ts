import { z } from "zod";
import { readAnswer, requestGateway, snippetOf, type GatewayResponse, type HttpClient } from "@/lib/providers/http";
import { ProviderError, type ChannelTarget, type Provider, type SubscribedApp } from "@/lib/providers/types";

/**
 * The Cloud API's webhooks are a Meta app's subscription to a WhatsApp Business Account, not a URL per
 * phone number: `GET /{waba-id}/subscribed_apps` lists the apps subscribed, `POST` on the same edge
 * subscribes the app the access token belongs to (Graph reference "WhatsApp Business Account Subscribed
 * Apps", v23.0, read on 2026-11-30). The POST only adds: other apps (the platform's) stay subscribed.
 *
 * What must stay true: Graph's error code decides, whatever the HTTP status (200 included): 190 is a
 * token Graph no longer accepts and 100 an account id it does not know (or the token may not see),
 * both misconfigured; 200 is a permission the token lacks (whatsapp_business_management). A channel
 * without its account id never calls Graph.
 */

/**
 * `{"data":[{"whatsapp_business_api_data":{"id","link","name"}}]}`. An entry without its app data (older
 * answers carry `override_callback_uri` beside it) still counts as an app subscribed.
 */
const subscribedAppsSchema = z.object({
  data: z.array(z.object({
    whatsapp_business_api_data: z.object({
      id: z.string().min(1),
      link: z.string().nullish(),
      name: z.string().nullish(),
    }).nullish(),
  })),
});

/** The POST answers `{"success":true}`; anything else did not subscribe. */
const subscribeAnswerSchema = z.object({ success: z.boolean() });

const graphErrorSchema = z.object({
  error: z.object({ message: z.string().optional(), code: z.number().optional(), error_subcode: z.number().optional() }),
});

/** Graph's error in a body or a (possibly cut) snippet: its code, subcode and message. */
function graphErrorIn(raw: string): { code?: number; subcode?: number; message?: string } | null {
  try {
    const parsed = graphErrorSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return { code: parsed.data.error.code, subcode: parsed.data.error.error_subcode, message: parsed.data.error.message };
  } catch {
    // A cut snippet: read the code from the text.
  }
  const code = /"code"\s*:\s*(\d+)/.exec(raw);
  return code ? { code: Number(code[1]) } : null;
}

function accountFailure(said: { code?: number; subcode?: number; message?: string }, status: number, raw: string, operation: string): ProviderError {
  const words = said.message ? `: ${said.message.slice(0, 200)}` : "";
  const detail = { status, snippet: snippetOf(raw), operation };
  switch (said.code) {
    case 190:
      return new ProviderError("misconfigured", `${operation}: ${said.subcode === 463 ? "the access token has expired" : "Graph refused the access token"} (code 190)${words}`, detail);
    case 100:
      return new ProviderError("misconfigured", `${operation}: Graph does not know this WhatsApp Business Account id, or the token may not read it (code 100)${words}`, { ...detail, notFound: true });
    case 200:
      return new ProviderError("rejected", `${operation}: the access token lacks the permission to manage this account's webhooks (code 200)${words}`, detail);
    default:
      return new ProviderError(status >= 500 ? "provider_down" : "rejected", `${operation}: Graph answered HTTP ${status} with error code ${said.code ?? "?"}${words}`, detail);
  }
}

export function subscribedAppsPath(target: ChannelTarget, operation: string): string {
  const wabaId = target.wabaId?.trim();
  if (!wabaId) {
    throw new ProviderError("misconfigured", `${operation}: the channel has no WhatsApp Business Account id (--waba-id)`, { operation });
  }
  return `/${encodeURIComponent(wabaId)}/subscribed_apps`;
}

/**
 * The adapter's subscribed_apps methods. `versioned` turns the channel's URL into Graph's base with its
 * version (cloud-api.ts: versionedBase).
 */
export function subscribedAppsMethods(
  client: HttpClient,
  versioned: (baseUrl: string) => string,
): Required<Pick<Provider, "getSubscribedApps" | "subscribeApp">> {
  async function call(target: ChannelTarget, method: "GET" | "POST", operation: string): Promise<GatewayResponse> {
    const path = subscribedAppsPath(target, operation);
    let response: GatewayResponse;
    try {
      response = await requestGateway(client, {
        operation, method, baseUrl: versioned(target.baseUrl), path, headers: { authorization: `Bearer ${target.apiKey}` },
      });
    } catch (error) {
      const status = error instanceof ProviderError ? error.detail.status : undefined;
      const said = status !== undefined && status < 500 ? graphErrorIn((error as ProviderError).detail.snippet ?? "") : null;
      if (said && status !== undefined) throw accountFailure(said, status, (error as ProviderError).detail.snippet ?? "", operation);
      throw error;
    }
    const body = response.body as { error?: unknown } | null;
    if (typeof body === "object" && body !== null && typeof body.error === "object" && body.error !== null) {
      throw accountFailure(graphErrorIn(response.raw) ?? {}, response.status, response.raw, operation);
    }
    return response;
  }

  return {
    async getSubscribedApps(target: ChannelTarget): Promise<SubscribedApp[]> {
      const operation = "read the account's subscribed apps";
      const answer = readAnswer(subscribedAppsSchema, await call(target, "GET", operation), operation);
      return answer.data.map((entry, index) => {
        const app = entry.whatsapp_business_api_data;
        return app
          ? { id: app.id, name: app.name?.slice(0, 200) ?? null, link: app.link?.slice(0, 300) ?? null }
          : { id: `#${index + 1}`, name: null, link: null };
      });
    },
    async subscribeApp(target: ChannelTarget): Promise<void> {
      const operation = "subscribe the app to the account's webhooks";
      const response = await call(target, "POST", operation);
      if (!readAnswer(subscribeAnswerSchema, response, operation).success) {
        throw new ProviderError("rejected", `${operation}: Graph answered success false`, { status: response.status, snippet: snippetOf(response.raw), operation });
      }
    },
  };
}
