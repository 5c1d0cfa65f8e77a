"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireClaims } from "@/lib/auth/session";
import { getSql } from "@/lib/db/client";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";

/**
 * Acknowledge from /incidents. Thin: the id is validated, the claims are verified, and
 * acknowledgeIncident decides under RLS (a viewer, or an admin of another tenant, changes nothing
 * whatever the page showed). The page re-renders with who acknowledged and when.
 */
export async function acknowledgeAction(data: FormData): Promise<void> {
  const parsed = z.uuid().safeParse(data.get("incidentId"));
  if (!parsed.success) return;
  const claims = await requireClaims("/incidents");
  await acknowledgeIncident(await getSql(), claims, parsed.data, new Date());
  revalidatePath("/incidents");
}
