"use server";

import { requireClaims } from "@/lib/auth/session";
import { channelActionDeps } from "@/lib/channels/runtime";
import { readImportForm, submitImportForm, type ImportFormState } from "@/lib/import/import-form";

/**
 * Preview or add a gateway's instances for any tenants, by name pattern, as platform staff. lib/import
 * asks the database whether the user is staff before calling the gateway, then writes on the service path.
 */
export async function importForPlatformAction(_previous: ImportFormState, data: FormData): Promise<ImportFormState> {
  const claims = await requireClaims("/admin/import");
  const { sql, providers, secretKey } = await channelActionDeps();
  return submitImportForm({ sql, providers, secretKey }, { kind: "platform_staff", claims }, readImportForm(data));
}
