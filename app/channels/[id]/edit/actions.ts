"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireClaims } from "@/lib/auth/session";
import { echoValues, readChannelForm, refusedForm, type ChannelFormState } from "@/lib/channels/channel-form";
import { readDownstreamForm } from "@/lib/channels/downstream-form";
import { removeChannelAsAdmin, updateChannelAsAdmin } from "@/lib/channels/manage-channel";
import { channelActionDeps } from "@/lib/channels/runtime";
import { testConnection } from "@/lib/channels/test-connection";

/** The edit form, bound to the channel id: intent=test tries the settings typed, intent=save stores them. */
export async function saveChannelEditAction(channelId: string, _previous: ChannelFormState, data: FormData): Promise<ChannelFormState> {
  const input = readChannelForm(data);
  const values = echoValues(input);
  const id = z.uuid().safeParse(channelId);
  if (!id.success) return refusedForm(values, "not_found");
  const claims = await requireClaims(`/channels/${id.data}/edit`);
  const deps = await channelActionDeps();

  if (data.get("intent") === "test") {
    const tested = await testConnection(deps, claims, { channelId: id.data }, input);
    if (tested.status === "tested") return { values, errors: {}, test: tested.result };
    if (tested.status === "invalid") return { values, errors: tested.errors, formError: "formErrors.invalid" };
    return refusedForm(values, tested.status);
  }

  const downstream = readDownstreamForm(data);
  const updated = await updateChannelAsAdmin(deps, claims, id.data, input, downstream);
  if (updated.status === "updated") redirect(`/channels/${id.data}`);
  if (updated.status === "invalid") return { values, downstream, errors: updated.errors, formError: "formErrors.invalid" };
  return refusedForm(values, updated.status);
}

/** Removes the channel and its history; the form must carry the explicit confirmation. */
export async function removeChannelAction(channelId: string, data: FormData): Promise<void> {
  const id = z.uuid().safeParse(channelId);
  if (!id.success) redirect("/channels");
  if (data.get("confirm") !== "yes") redirect(`/channels/${id.data}/edit`);
  const claims = await requireClaims(`/channels/${id.data}/edit`);
  const removed = await removeChannelAsAdmin(await channelActionDeps(), claims, id.data);
  // The list says it was done (a toast); the flag carries no text, so a crafted link can say nothing else.
  redirect(removed.status === "removed" ? "/channels?removido=1" : `/channels/${id.data}`);
}
