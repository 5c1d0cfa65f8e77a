import { performance } from "node:perf_hooks";
import type { ChannelActionDeps, Refusal } from "@/lib/channels/action-deps";
import { readChannelAccess } from "@/lib/channels/channel-access";
import { loadChannelTarget, MissingApiKeyError } from "@/lib/channels/channel-target";
import { keyStaysBound } from "@/lib/channels/key-binding";
import { validateGatewayFields, type ChannelFormState, type FieldErrors } from "@/lib/channels/channel-form";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import { classifyFailure, classifyReport } from "@/lib/monitor/classify-state";
import { canonicalGatewayUrl } from "@/lib/net/canonical-origin";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import type { ChannelTarget } from "@/lib/providers/types";

export type TestConnectionResult =
  | Refusal
  | { status: "invalid"; errors: FieldErrors }
  | { status: "tested"; result: NonNullable<ChannelFormState["test"]> };

/**
 * "Test connection" before saving: one state read through the chosen kind's adapter (the registry) with
 * what the admin typed, classified the way the monitor would. Admins only (the server calls a URL they chose). On edit a
 * blank key means the stored one, and then only against the stored gateway URL and instance, both
 * unchanged: a stored key is never sent anywhere an admin merely typed, nor used to read another
 * instance on the same gateway.
 */
export async function testConnection(
  deps: ChannelActionDeps,
  claims: VerifiedClaims,
  scope: { tenantId: string } | { channelId: string },
  input: unknown,
): Promise<TestConnectionResult> {
  const valid = validateGatewayFields(input);
  if (!valid.ok) return { status: "invalid", errors: valid.errors };
  const { provider, gatewayUrl, instanceName, apiKey, clientToken, wabaId } = valid.value;
  const extra = { ...(clientToken ? { clientToken } : {}), ...(wabaId ? { wabaId } : {}) };
  const needsClientToken = PROVIDER_TRAITS[provider].credentials.clientToken;

  const allowed = await runAsUser(deps.sql, claims, async (tx) => {
    if ("tenantId" in scope) {
      const [{ admin }] = await tx<{ admin: boolean }[]>`select public.is_tenant_admin(${scope.tenantId}) as admin`;
      return admin ? "ok" : "forbidden";
    }
    const access = await readChannelAccess(tx, scope.channelId);
    if (!access) return "not_found";
    return access.admin ? "ok" : "forbidden";
  });
  if (allowed !== "ok") return { status: allowed };

  let target: ChannelTarget;
  if (apiKey && (clientToken || !needsClientToken)) {
    target = { baseUrl: gatewayUrl, instanceName, apiKey, ...extra };
  } else if ("channelId" in scope) {
    // Blank secrets mean the stored ones, and only where they were entered for.
    const stored = await loadChannelTarget(deps.sql, scope.channelId, deps.secretKey).catch((error: unknown) => {
      if (error instanceof MissingApiKeyError) return null;
      throw error;
    });
    if (!stored) return { status: "invalid", errors: { apiKey: "apiKey.required" } };
    const place = { gatewayUrl: stored.target.baseUrl, instanceName: stored.target.instanceName, provider: stored.provider };
    if (!keyStaysBound(place, { gatewayUrl, instanceName, provider })) {
      return { status: "invalid", errors: apiKey ? { clientToken: "clientToken.retypeForNewGateway" } : { apiKey: "apiKey.retypeForNewGateway" } };
    }
    if (needsClientToken && !clientToken && !stored.target.clientToken) {
      return { status: "invalid", errors: { clientToken: "clientToken.required" } };
    }
    target = { ...stored.target, ...(apiKey ? { apiKey } : {}), ...extra };
  } else {
    return { status: "invalid", errors: apiKey ? { clientToken: "clientToken.required" } : { apiKey: "apiKey.required" } };
  }

  // Saving would be refused as taken (channels are unique per canonical gateway URL and instance across
  // all tenants, which RLS hides from the admin): say so now, the same way and after the same key
  // checks, looked up on the service path.
  if (await isTakenElsewhere(deps, scope, gatewayUrl, instanceName)) {
    return { status: "invalid", errors: { instanceName: "instanceName.taken" } };
  }

  const started = performance.now();
  try {
    const observation = classifyReport(await deps.providers[provider].getState(target));
    return { status: "tested", result: { state: observation.state, reason: observation.reason, latencyMs: observation.latencyMs ?? null } };
  } catch (error) {
    const observation = classifyFailure(error, Math.round(performance.now() - started));
    return { status: "tested", result: { state: observation.state, reason: observation.reason, latencyMs: observation.latencyMs ?? null } };
  }
}

/** Another channel (any tenant's; on edit, not this one) already watches this gateway's instance. */
async function isTakenElsewhere(
  deps: ChannelActionDeps,
  scope: { tenantId: string } | { channelId: string },
  gatewayUrl: string,
  instanceName: string,
): Promise<boolean> {
  const canonical = canonicalGatewayUrl(gatewayUrl);
  if (!canonical.ok) return false;
  const self = "channelId" in scope ? scope.channelId : null;
  const rows = await deps.sql`
    select 1 from public.channels
    where gateway_url = ${canonical.url} and instance_name = ${instanceName}
      and (${self}::uuid is null or id <> ${self}::uuid)
    limit 1
  `;
  return rows.length > 0;
}
