"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireClaims } from "@/lib/auth/session";
import { echoValues, readChannelForm, refusedForm, type ChannelFormState } from "@/lib/channels/channel-form";
import { readDownstreamForm } from "@/lib/channels/downstream-form";
import { createChannelAsAdmin } from "@/lib/channels/manage-channel";
import { channelActionDeps } from "@/lib/channels/runtime";
import { testConnection } from "@/lib/channels/test-connection";

/**
 * The add-channel form: intent=test tries the typed gateway, key and instance; intent=save creates the
 * channel. The tenant comes from the form and is only a claim: the database allows the insert only to
 * an admin of that tenant.
 */
export async function saveNewChannelAction(_previous: ChannelFormState, data: FormData): Promise<ChannelFormState> {
  const claims = await requireClaims("/channels/new");
  const input = readChannelForm(data);
  const values = echoValues(input);
  const tenantId = z.uuid().safeParse(data.get("tenantId"));
  if (!tenantId.success) return refusedForm(values, "forbidden");
  const deps = await channelActionDeps();

  if (data.get("intent") === "test") {
    const tested = await testConnection(deps, claims, { tenantId: tenantId.data }, input);
    if (tested.status === "tested") return { values, errors: {}, test: tested.result };
    if (tested.status === "invalid") return { values, errors: tested.errors, formError: "formErrors.invalid" };
    return refusedForm(values, tested.status);
  }

  const downstream = readDownstreamForm(data);
  const created = await createChannelAsAdmin(deps, claims, tenantId.data, input, downstream);
  if (created.status === "created") redirect(`/channels/${created.id}`);
  if (created.status === "invalid") return { values, downstream, errors: created.errors, formError: "formErrors.invalid" };
  return refusedForm(values, created.status);
}
