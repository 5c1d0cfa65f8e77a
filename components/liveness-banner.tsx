import { useLocale, useTimeZone, useTranslations } from "next-intl";
import { formatDateTime, formatRelative } from "@/lib/format/date-time";

interface Props {
  lastPassAt: Date | null;
  now: Date;
  /** The active tenant's timezone, so the time matches every other date on the page. */
  timeZone?: string;
}

/** Shown on every page when the monitor has not finished a pass within three intervals. */
export function LivenessBanner({ lastPassAt, now, timeZone }: Props) {
  const t = useTranslations("liveness");
  const locale = useLocale();
  // Without an active tenant, the app's default zone (i18n/request.ts).
  const defaultZone = useTimeZone();
  const zone = timeZone ?? defaultZone ?? "UTC";
  const at = lastPassAt && formatDateTime(lastPassAt, locale, zone);
  return (
    <div role="alert" data-testid="liveness-banner" className="border-b border-red-300 bg-red-50 py-3 text-red-900">
      <div className="mx-auto flex max-w-6xl flex-col gap-0.5 px-4 sm:flex-row sm:items-baseline sm:gap-3">
        <strong className="shrink-0 font-semibold"><span aria-hidden="true">⚠ </span>{t("down")}</strong>
        <span className="text-sm">
          {lastPassAt ? (
            <>
              {t("lastPassAt", { time: formatRelative(lastPassAt, now, locale) })}{" "}
              <time dateTime={lastPassAt.toISOString()} className="font-medium tabular-nums">{at}</time>.
            </>
          ) : (
            t("never")
          )}{" "}
          {t("explain")}
        </span>
      </div>
    </div>
  );
}
