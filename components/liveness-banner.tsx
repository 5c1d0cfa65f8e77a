import { useFormatter, useTranslations } from "next-intl";

/** Shown on every page when the monitor has not finished a pass within three intervals. */
export function LivenessBanner({ lastPassAt, now }: { lastPassAt: Date | null; now: Date }) {
  const t = useTranslations("liveness");
  const format = useFormatter();
  return (
    <div role="alert" data-testid="liveness-banner" className="border-b border-red-300 bg-red-50 px-4 py-3 text-red-900">
      <div className="mx-auto flex max-w-6xl flex-col gap-0.5 sm:flex-row sm:items-baseline sm:gap-3">
        <strong className="font-semibold">⚠ {t("down")}</strong>
        <span className="text-sm">
          {lastPassAt ? t("lastPass", { time: format.relativeTime(lastPassAt, now) }) : t("never")} {t("explain")}
        </span>
      </div>
    </div>
  );
}
