"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { TechnicalDetails } from "@/components/technical-details";
import { formatTimeOfDay } from "@/lib/format/date-time";
import { formatDuration } from "@/lib/format/duration";
import { pollQrAction, requestQrAction, type PairingView } from "./actions";

interface Props {
  channelId: string;
  channelName: string;
  timeZone: string;
  /** A pairing someone started within the window: the panel picks it up and keeps polling. */
  pairingInProgress: boolean;
}

const POLL_MS = 3_000;
type View = PairingView | { status: "idle" } | { status: "requesting" };

/**
 * Re-pairing with a QR code: asks the gateway for a code, shows it with its expiry, and polls every
 * few seconds until the phone has scanned it (then the page refreshes into "connected") or it expires.
 * The QR image is a data URL made on the server; the API key never reaches the browser.
 */
export function QrPairingPanel({ channelId, channelName, timeZone, pairingInProgress }: Props) {
  const t = useTranslations("actions.qr");
  const tChannel = useTranslations("channel");
  const locale = useLocale();
  const router = useRouter();
  const [view, setView] = useState<View>({ status: "idle" });
  const [polling, setPolling] = useState(pairingInProgress);
  const [now, setNow] = useState(() => Date.now());
  const sectionRef = useRef<HTMLElement>(null);

  // An alert's "scan the QR" link (lib/alerts/alert-links.ts: ?pair=1#qr-title) lands here: bring the
  // panel into view and put focus on its button, so one tap asks for the code.
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get("pair") !== "1") return;
    const section = sectionRef.current;
    section?.scrollIntoView({ block: "center" });
    (section?.querySelector<HTMLElement>("[data-testid=request-qr]") ?? section)?.focus();
  }, []);

  const live = view.status === "qr" || view.status === "waiting" || view.status === "failed" || (view.status === "idle" && polling);

  useEffect(() => {
    if (!live) return;
    let cancelled = false;
    const poll = async () => {
      try {
        const next = await pollQrAction({ channelId });
        if (cancelled) return;
        // A transient gateway failure while a code is showing keeps the code; the next poll may recover.
        setView((current) => (next.status === "failed" && current.status === "qr" ? current : next));
        if (next.status === "connected") router.refresh();
        if (next.status === "connected" || next.status === "expired" || next.status === "refused") setPolling(false);
      } catch {
        // Network hiccup: try again at the next tick.
      }
    };
    const timer = setInterval(poll, POLL_MS);
    const clock = setInterval(() => setNow(Date.now()), 1_000);
    if (view.status === "idle") void poll();
    return () => {
      cancelled = true;
      clearInterval(timer);
      clearInterval(clock);
    };
  }, [live, channelId, router, view.status]);

  const request = async () => {
    setView({ status: "requesting" });
    try {
      const result = await requestQrAction({ channelId });
      setView(result);
      setPolling(result.status === "qr" || result.status === "waiting");
      if (result.status === "connected") router.refresh();
    } catch {
      setView({ status: "failed", cause: tChannel("actionSummary.failed"), detail: "" });
    }
  };

  // Announced once per change of status; the countdown below is not a live region.
  const announcement =
    view.status === "qr" ? t("alt", { name: channelName })
      : view.status === "connected" ? t("connected")
        : view.status === "expired" ? t("expired")
          : view.status === "waiting" ? t("waiting")
            : "";
  const expiresAt = "expiresAt" in view ? new Date(view.expiresAt) : null;
  const expiry = expiresAt && (
    <p className="text-sm text-slate-700" data-testid="qr-expiry">
      {t("expires", {
        time: formatTimeOfDay(expiresAt, locale, timeZone),
        remaining: formatDuration(Math.max(0, expiresAt.getTime() - now)),
      })}
    </p>
  );
  const requestButton = (label: string) => (
    <button
      type="button"
      data-testid="request-qr"
      onClick={request}
      disabled={view.status === "requesting"}
      className="rounded-md bg-brand-700 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700 disabled:opacity-60"
    >
      <span aria-hidden="true">▦ </span>
      {view.status === "requesting" ? t("requesting") : label}
    </button>
  );

  return (
    <section ref={sectionRef} tabIndex={-1} aria-labelledby="qr-title" className="rounded-lg border border-red-200 bg-white p-4" data-testid="qr-panel">
      <h2 id="qr-title" className="text-base font-semibold">{t("title")}</h2>
      <p className="mt-1 text-sm text-slate-700">{t("explain")}</p>
      <p className="sr-only" aria-live="polite">{announcement}</p>
      <div className="mt-3 space-y-3">
        {view.status === "idle" && (polling ? <p className="text-sm">{t("inProgress")}</p> : requestButton(t("request")))}
        {view.status === "requesting" && requestButton(t("request"))}
        {view.status === "qr" && (
          <div className="flex flex-col items-start gap-3 sm:flex-row">
            {/* A data URL from our own server: next/image adds nothing here. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={view.qr.image} alt={t("alt", { name: channelName })} width={264} height={264} className="rounded border border-slate-200" data-testid="qr-image" />
            <div className="space-y-2">
              {expiry}
              {/* 0: the gateway does not count its codes (WAHA), so there is no number to show. */}
              {view.qr.count > 0 && <p className="text-xs text-slate-600">{t("count", { count: view.qr.count })}</p>}
              {view.qr.pairingCode && <p className="font-mono text-sm">{t("pairingCode", { code: view.qr.pairingCode })}</p>}
            </div>
          </div>
        )}
        {view.status === "waiting" && (
          <>
            <p className="text-sm">{t("waiting")}</p>
            {expiry}
          </>
        )}
        {view.status === "connected" && <p className="font-semibold text-emerald-800" data-testid="qr-connected"><span aria-hidden="true">✓ </span>{t("connected")}</p>}
        {view.status === "expired" && (
          <>
            <p className="text-sm font-medium text-red-900">{t("expired")}</p>
            {requestButton(t("again"))}
          </>
        )}
        {view.status === "failed" && (
          <>
            <p className="text-sm text-red-900">{t("failed", { cause: view.cause })}</p>
            {/* The panel is only rendered for admins: the gateway's words may be shown, folded. */}
            <TechnicalDetails items={[[tChannel("technicalFields.stored"), view.detail]]} />
            {requestButton(t("again"))}
          </>
        )}
        {view.status === "refused" && <p className="text-sm text-red-900">{view.message}</p>}
      </div>
    </section>
  );
}
