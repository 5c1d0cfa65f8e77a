"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { chooseSenderAsAdmin, removeContactAsAdmin, saveContactAsAdmin, testContactAsAdmin } from "@/lib/alerts/alert-settings";
import { fieldErrorKey, readContactForm, type ContactFormState, type TestState } from "@/lib/alerts/contact-form";
import { deliverConfiguredAlerts } from "@/lib/alerts/runtime";
import { requireClaims } from "@/lib/auth/session";
import { getSql } from "@/lib/db/client";
import { channelSecretKey } from "@/lib/local-secrets";

/**
 * /settings/alerts. Thin: read the form, call lib/alerts/alert-settings (which decides under RLS), map
 * the answer to what the page shows. The tenant in the form is only a claim: the database lets only its
 * admins write.
 */

const PAGE = "/settings/alerts";

export async function saveContactAction(_previous: ContactFormState, data: FormData): Promise<ContactFormState> {
  const claims = await requireClaims(PAGE);
  const { raw, rotateSecret, contactId, echo } = readContactForm(data);
  const tenantId = z.uuid().safeParse(data.get("tenantId"));
  if (!tenantId.success) return { status: "refused", errors: {}, values: echo };
  const result = await saveContactAsAdmin(await getSql(), claims, { secretKey: channelSecretKey() }, {
    tenantId: tenantId.data, contactId, raw, rotateSecret,
  });
  if (result.status === "invalid") return { status: "invalid", errors: { [result.field]: fieldErrorKey(result.field, result.reason) }, values: echo };
  if (result.status !== "done") return { status: "refused", errors: {}, values: echo };
  revalidatePath(PAGE);
  return { status: "saved", errors: {}, values: contactId ? echo : {}, signingSecret: result.signingSecret };
}

export async function removeContactAction(data: FormData): Promise<void> {
  const claims = await requireClaims(PAGE);
  const id = z.uuid().safeParse(data.get("contactId"));
  if (!id.success) return;
  await removeContactAsAdmin(await getSql(), claims, id.data);
  revalidatePath(PAGE);
}

export async function chooseSenderAction(data: FormData): Promise<void> {
  const claims = await requireClaims(PAGE);
  const tenantId = z.uuid().safeParse(data.get("tenantId"));
  const channel = data.get("channelId");
  const channelId = channel === "" ? null : z.uuid().safeParse(channel);
  if (!tenantId.success || (channelId !== null && !channelId.success)) return;
  await chooseSenderAsAdmin(await getSql(), claims, tenantId.data, channelId === null ? null : channelId.data);
  revalidatePath(PAGE);
}

export async function testContactAction(_previous: TestState, data: FormData): Promise<TestState> {
  const claims = await requireClaims(PAGE);
  const id = z.uuid().safeParse(data.get("contactId"));
  if (!id.success) return { status: "refused" };
  const result = await testContactAsAdmin(await getSql(), claims, id.data, (ids) => deliverConfiguredAlerts({ budgetMs: 20_000, ids }));
  revalidatePath(PAGE);
  return result.status === "done" ? { status: "done", outcome: result.outcome } : { status: "refused" };
}
