import { getTranslations } from "next-intl/server";
import { ImportForm } from "@/components/import-form";
import { listTenants } from "@/lib/db/tenants";
import { withUser } from "@/lib/db/sessions";
import { EMPTY_IMPORT_FORM } from "@/lib/import/import-form";
import { getSession } from "@/lib/tenancy/current-viewer";
import { importForPlatformAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("import");
  return { title: t("staffTitle") };
}

/** Platform staff only (the admin layout answers 404 to anyone else; lib/import checks again). */
export default async function AdminImportPage() {
  const { claims } = await getSession();
  const tenants = await withUser(claims, (tx) => listTenants(tx));
  const t = await getTranslations("import");
  return (
    <section aria-labelledby="import-title" className="mx-auto max-w-5xl space-y-4">
      <div>
        <h1 id="import-title" className="text-2xl font-bold">{t("staffTitle")}</h1>
        <p className="mt-2 text-sm text-slate-700">{t("staffIntro")}</p>
      </div>
      {tenants.length === 0 ? <p className="text-sm text-slate-600">{t("noTenants")}</p> : (
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <ImportForm action={importForPlatformAction} initial={EMPTY_IMPORT_FORM}
            tenants={tenants.map((tenant) => ({ id: tenant.id, name: tenant.name }))} mode="staff" doneHref="/admin" />
        </div>
      )}
    </section>
  );
}
