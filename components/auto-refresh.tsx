"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { formatRelative } from "@/lib/format/date-time";

interface Props {
  intervalMs: number;
  renderedAt: string;
  /** A cheap endpoint answering `{ version }`: polled every `watchMs`, a new version re-renders at once. */
  watchUrl?: string;
  watchMs?: number;
}

/**
 * Re-renders the page's server components every `intervalMs` without a full reload, and sooner when the
 * watched version moves (a webhook changed a state); says when it last did. Idle while the tab is hidden.
 */
export function AutoRefresh({ intervalMs, renderedAt, watchUrl, watchMs = 1_000 }: Props) {
  const router = useRouter();
  const locale = useLocale();
  const t = useTranslations("refresh");
  const [now, setNow] = useState(() => new Date(renderedAt));

  useEffect(() => {
    const visible = () => document.visibilityState === "visible";
    const refresh = setInterval(() => visible() && router.refresh(), intervalMs);
    const tick = setInterval(() => setNow(new Date()), 5_000);
    return () => {
      clearInterval(refresh);
      clearInterval(tick);
    };
  }, [intervalMs, router]);

  useEffect(() => {
    if (!watchUrl) return;
    let seen: string | undefined;
    let inFlight = false;
    const poll = async () => {
      if (inFlight || document.visibilityState !== "visible") return;
      inFlight = true;
      try {
        const response = await fetch(watchUrl, { cache: "no-store" });
        if (!response.ok) return;
        const { version } = (await response.json()) as { version: string };
        if (seen !== undefined && version !== seen) router.refresh();
        seen = version;
      } catch {
        // Offline for a moment: the next poll or the periodic refresh catches up.
      } finally {
        inFlight = false;
      }
    };
    void poll();
    const timer = setInterval(poll, watchMs);
    return () => clearInterval(timer);
  }, [watchUrl, watchMs, router]);

  return (
    <p className="text-xs text-slate-500" aria-live="polite" data-testid="refreshed-at" data-rendered-at={renderedAt}>
      {/* The clock ticks every 5 s: a render newer than the last tick is "now", never "in 2 seconds". */}
      {t("updated", { time: formatRelative(new Date(renderedAt), new Date(Math.max(now.getTime(), Date.parse(renderedAt))), locale) })}
    </p>
  );
}
