import { useTranslations } from "next-intl";
import type { ReasonText as Reason } from "@/lib/format/channel-reason";

/**
 * A reason in the reader's language, and nothing else: the stored words behind it (`reason.detail`)
 * are for admins, under TechnicalDetails, never in a hover text every reader gets.
 */
export function ReasonText({ reason, className }: { reason: Reason | null; className?: string }) {
  const t = useTranslations();
  if (!reason) return null;
  return <span className={className}>{t(reason.key, reason.values)}</span>;
}
