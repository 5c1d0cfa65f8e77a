import { useTranslations } from "next-intl";
import type { DownstreamView } from "@/lib/channels/downstream-view";
import type { PlatformWebhookSummary } from "@/lib/db/downstream";
import type { ForwardCounts } from "@/lib/db/webhook-forwards";

interface Props {
  summary: PlatformWebhookSummary;
  /** Admins only: the downstream masked, and how forwarding goes. */
  admin?: { downstream: DownstreamView | null; counts: ForwardCounts };
}

const OFF_REASONS = new Set(["base64", "address", "url", "headers"]);

/**
 * What the channel page says about the platform's webhook: adopted and forwarded, or left alone (mode
 * off) with why and what to do. Nothing when the channel simply owns its webhook (mode manage, or adopt
 * before any foreign webhook was found).
 */
export function PlatformWebhookNote({ summary, admin }: Props) {
  const t = useTranslations("channel.platformWebhook");
  const forwarding = summary.mode !== "off" && summary.hasDownstream;
  if (summary.mode !== "off" && !forwarding) return null;

  if (summary.mode === "off") {
    const [code, ...rest] = (summary.modeReason ?? "").split(": ");
    const known = OFF_REASONS.has(code);
    return (
      <div role="note" data-testid="platform-webhook" data-mode="off" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
        <p className="font-semibold">{summary.modeReason ? t("offTitle") : t("offChosen")}</p>
        {summary.modeReason && (
          <>
            <p>{known ? t(`offWhy.${code}`) : summary.modeReason}{known && rest.length > 0 && <span className="text-amber-900"> ({rest.join(": ")})</span>}</p>
            <p>{t(`offWhat.${known ? code : "other"}`)}</p>
          </>
        )}
      </div>
    );
  }

  return (
    <div role="note" data-testid="platform-webhook" data-mode={summary.mode} className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950">
      <p className="font-semibold"><span aria-hidden="true">⇄ </span>{summary.adoptedAt ? t("adopted") : t("forwarded")}</p>
      {admin?.downstream && (
        <p className="break-all">
          {t("downstream")}: <code className="text-xs">{admin.downstream.url}</code>
          {admin.downstream.headerNames.length > 0 && <> · {t("headers", { names: admin.downstream.headerNames.map((name) => `${name}: ••••`).join(", ") })}</>}
          {admin.downstream.byEvents && <> · {t("byEvents")}</>}
        </p>
      )}
      {admin && (
        <p data-testid="forward-counts" className={admin.counts.failed > 0 ? "font-medium text-red-800" : undefined}>
          {t("counts", { pending: admin.counts.pending, failed: admin.counts.failed })}
        </p>
      )}
    </div>
  );
}
