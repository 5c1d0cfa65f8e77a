import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ChannelForm } from "@/components/channel-form";
import { EMPTY_FORM } from "@/lib/channels/channel-form";
import { requireActiveTenant } from "@/lib/tenancy/current-viewer";
import { saveNewChannelAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("manage");
  return { title: t("newTitle") };
}

/** Tenant admins only; the page hides itself from others, and the database refuses them anyway. */
export default async function NewChannelPage() {
  const { tenant } = await requireActiveTenant();
  if (tenant.role !== "admin") notFound();
  const t = await getTranslations("manage");
  return (
    <section aria-labelledby="new-channel-title" className="mx-auto max-w-xl space-y-4">
      <div>
        <h1 id="new-channel-title" className="text-2xl font-bold">{t("newTitle")}</h1>
        <p className="text-sm text-slate-600">{tenant.name}</p>
        <p className="mt-2 text-sm text-slate-700">{t("newIntro")}</p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <ChannelForm mode="create" action={saveNewChannelAction} initial={EMPTY_FORM} hidden={{ tenantId: tenant.id }} cancelHref="/channels" />
      </div>
    </section>
  );
}
