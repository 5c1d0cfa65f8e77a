"use client";

import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";

/** Re-renders the page's server components every `intervalMs` without a full reload; says when it last did. */
export function AutoRefresh({ intervalMs, renderedAt }: { intervalMs: number; renderedAt: string }) {
  const router = useRouter();
  const format = useFormatter();
  const t = useTranslations("refresh");
  const [now, setNow] = useState(() => new Date(renderedAt));

  useEffect(() => {
    const refresh = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    const tick = setInterval(() => setNow(new Date()), 5_000);
    return () => {
      clearInterval(refresh);
      clearInterval(tick);
    };
  }, [intervalMs, router]);

  return (
    <p className="text-xs text-slate-500" aria-live="polite" data-testid="refreshed-at" data-rendered-at={renderedAt}>
      {/* The clock ticks every 5 s: a render newer than the last tick is "now", never "in 2 seconds". */}
      {t("updated", { time: format.relativeTime(new Date(renderedAt), new Date(Math.max(now.getTime(), Date.parse(renderedAt)))) })}
    </p>
  );
}
