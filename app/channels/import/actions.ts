"use server";

import { requireClaims } from "@/lib/auth/session";
import { channelActionDeps } from "@/lib/channels/runtime";
import { readImportForm, submitImportForm, type ImportFormState } from "@/lib/import/import-form";

/**
 * Preview or add a gateway's instances as the signed-in tenant admin. The tenant comes from the form and
 * is only a claim: every read and write runs as the user, and the database decides (lib/import).
 */
export async function importForTenantAction(_previous: ImportFormState, data: FormData): Promise<ImportFormState> {
  const claims = await requireClaims("/channels/import");
  const { sql, providers, secretKey } = await channelActionDeps();
  return submitImportForm({ sql, providers, secretKey }, { kind: "tenant_admin", claims }, readImportForm(data));
}
