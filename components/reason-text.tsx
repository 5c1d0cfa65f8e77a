import { useTranslations } from "next-intl";
import type { ReasonText as Reason } from "@/lib/format/channel-reason";

/** A reason in the reader's language; the stored words stay available on hover for whoever debugs. */
export function ReasonText({ reason, className }: { reason: Reason | null; className?: string }) {
  const t = useTranslations();
  if (!reason) return null;
  if ("raw" in reason) return <span className={className}>{reason.raw}</span>;
  return (
    <span className={className} title={reason.detail}>
      {t(reason.key, reason.values)}
    </span>
  );
}
