import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ImportForm } from "@/components/import-form";
import { EMPTY_IMPORT_FORM } from "@/lib/import/import-form";
import { requireActiveTenant } from "@/lib/tenancy/current-viewer";
import { importForTenantAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("import");
  return { title: t("title") };
}

/** Tenant admins only; the page hides itself from others, and the database refuses them anyway. */
export default async function ImportChannelsPage() {
  const { tenant } = await requireActiveTenant();
  if (tenant.role !== "admin") notFound();
  const t = await getTranslations("import");
  return (
    <section aria-labelledby="import-title" className="mx-auto max-w-4xl space-y-4">
      <div>
        <h1 id="import-title" className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-slate-600">{tenant.name}</p>
        <p className="mt-2 text-sm text-slate-700">{t("intro")}</p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <ImportForm action={importForTenantAction} initial={EMPTY_IMPORT_FORM} tenants={[{ id: tenant.id, name: tenant.name }]} mode="tenant" doneHref="/channels" />
      </div>
    </section>
  );
}
