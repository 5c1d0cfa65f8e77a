"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { LOCALE_COOKIE, LOCALES } from "@/i18n/locales";
import { getSession, TENANT_COOKIE } from "@/lib/tenancy/current-viewer";

const YEAR = 60 * 60 * 24 * 365;
const cookieOptions = { httpOnly: true, sameSite: "lax" as const, path: "/", maxAge: YEAR };

/** Switches the active tenant; only to one the database lets this user see. */
export async function switchTenant(formData: FormData): Promise<void> {
  const slug = z.string().regex(/^[a-z0-9-]{2,63}$/).safeParse(formData.get("tenant"));
  if (!slug.success) return;
  const { viewer } = await getSession();
  if (!viewer.tenants.some((tenant) => tenant.slug === slug.data)) return;
  (await cookies()).set(TENANT_COOKIE, slug.data, cookieOptions);
  revalidatePath("/", "layout");
}

export async function switchLocale(formData: FormData): Promise<void> {
  const locale = z.enum(LOCALES).safeParse(formData.get("locale"));
  if (!locale.success) return;
  (await cookies()).set(LOCALE_COOKIE, locale.data, cookieOptions);
  revalidatePath("/", "layout");
}
