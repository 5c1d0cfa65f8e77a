import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { ChannelForm } from "@/components/channel-form";
import { maskedHeaderLines, viewDownstream } from "@/lib/channels/downstream-view";
import { channelActionDeps } from "@/lib/channels/runtime";
import { getChannelDetail } from "@/lib/db/channel-detail";
import { getPlatformWebhookSummary } from "@/lib/db/downstream";
import { withUser } from "@/lib/db/sessions";
import { getSession } from "@/lib/tenancy/current-viewer";
import { removeChannelAction, saveChannelEditAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("manage");
  return { title: t("editTitle", { name: "" }).trim() };
}

/** Tenant admins only: everyone else gets the same 404 as for a channel they cannot see. */
export default async function EditChannelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const { claims } = await getSession();
  const found = await withUser(claims, async (tx) => {
    const channel = await getChannelDetail(tx, id);
    return channel && { channel, webhook: await getPlatformWebhookSummary(tx, id) };
  });
  if (!found || !found.channel.canManage) notFound();
  const { channel, webhook } = found;
  // Masked on the server: stored query values and header values never reach the browser.
  const { sql, secretKey } = await channelActionDeps();
  const downstream = await viewDownstream(sql, secretKey, channel.id);
  const t = await getTranslations("manage");

  return (
    <div className="mx-auto max-w-xl space-y-6">
      <section aria-labelledby="edit-title" className="space-y-4">
        <div>
          <h1 id="edit-title" className="text-2xl font-bold break-words">{t("editTitle", { name: channel.displayName })}</h1>
          <p className="text-sm text-slate-600">{channel.tenantName}</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <ChannelForm
            mode="edit"
            action={saveChannelEditAction.bind(null, channel.id)}
            initial={{
              values: {
                provider: channel.provider, displayName: channel.displayName, phoneNumber: channel.phoneNumber ?? "",
                gatewayUrl: channel.gatewayUrl, instanceName: channel.instanceName, wabaId: channel.wabaId ?? "",
              },
              downstream: {
                webhookMode: webhook?.mode ?? "adopt", downstreamUrl: downstream?.url ?? "", downstreamHeaders: maskedHeaderLines(downstream),
              },
              errors: {},
            }}
            cancelHref={`/channels/${channel.id}`}
          />
        </div>
      </section>
      <section aria-labelledby="remove-title" className="rounded-lg border border-red-200 bg-white p-4">
        <h2 id="remove-title" className="text-base font-semibold text-red-900">{t("remove.title")}</h2>
        <p className="mt-1 text-sm text-slate-700">{t("remove.explain")}</p>
        <form action={removeChannelAction.bind(null, channel.id)} className="mt-3 space-y-3">
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="confirm" value="yes" required className="mt-0.5 h-4 w-4" />
            {t("remove.confirm")}
          </label>
          <button type="submit" data-testid="remove-channel"
            className="rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700">
            {t("remove.button")}
          </button>
        </form>
      </section>
    </div>
  );
}
