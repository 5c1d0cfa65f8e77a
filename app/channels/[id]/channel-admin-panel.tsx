"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCallback, useRef, useState, useTransition } from "react";
import { Toast, type ToastMessage } from "@/components/toast";
import { forceReconnectAction, setPausedAction, type ActionOutcome } from "./actions";

interface Props {
  channelId: string;
  monitoringEnabled: boolean;
  /** False where a restart cannot help (lib/channels/next-step.ts): needs a QR, a fix, the gateway. */
  offerReconnect: boolean;
  /** The configuration is what is broken: the edit link is the main button. */
  fixConfig: boolean;
}

const button =
  "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-semibold shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700 disabled:cursor-not-allowed disabled:opacity-60";

/** Admin controls for one channel; the server re-checks every permission, this only shows them. */
export function ChannelAdminPanel({ channelId, monitoringEnabled, offerReconnect, fixConfig }: Props) {
  const t = useTranslations("actions");
  const tStep = useTranslations("nextStep");
  const router = useRouter();
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const [running, setRunning] = useState<"reconnect" | "pause" | null>(null);
  const [, startTransition] = useTransition();
  const sequence = useRef(0);
  const dismiss = useCallback(() => setToast(null), []);

  const run = (which: "reconnect" | "pause", action: () => Promise<ActionOutcome>) => {
    setRunning(which);
    startTransition(async () => {
      let outcome: ActionOutcome;
      try {
        outcome = await action();
      } catch {
        outcome = { ok: false, message: t("toast.error") };
      }
      setToast({ id: ++sequence.current, tone: outcome.ok ? "success" : "error", text: outcome.message });
      setRunning(null);
      router.refresh();
    });
  };

  return (
    <section aria-labelledby="admin-actions-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="admin-actions-title" className="text-sm font-semibold uppercase tracking-wide text-slate-600">{t("title")}</h2>
      <div className="mt-3 flex flex-wrap gap-2">
        {offerReconnect && (
          <button
            type="button"
            data-testid="force-reconnect"
            className={`${button} bg-brand-700 text-white hover:bg-brand-900`}
            disabled={running !== null}
            aria-describedby="reconnect-hint"
            onClick={() => run("reconnect", () => forceReconnectAction({ channelId }))}
          >
            <span aria-hidden="true">↻</span>
            {running === "reconnect" ? t("reconnecting") : t("reconnect")}
          </button>
        )}
        <button
          type="button"
          data-testid={monitoringEnabled ? "pause-monitoring" : "resume-monitoring"}
          className={`${button} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}
          disabled={running !== null}
          onClick={() => run("pause", () => setPausedAction({ channelId, paused: monitoringEnabled }))}
        >
          <span aria-hidden="true">{monitoringEnabled ? "❚❚" : "▶"}</span>
          {running === "pause" ? t("working") : monitoringEnabled ? t("pause") : t("resume")}
        </button>
        <Link href={`/channels/${channelId}/edit`} data-testid={fixConfig ? "fix-config" : undefined}
          className={`${button} ${fixConfig ? "bg-brand-700 text-white hover:bg-brand-900" : "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50"}`}>
          <span aria-hidden="true">✎</span>
          {fixConfig ? tStep("fixConfig") : t("edit")}
        </Link>
      </div>
      {offerReconnect && <p id="reconnect-hint" className="mt-2 text-xs text-slate-600">{t("reconnectHint")}</p>}
      <Toast message={toast} onDismiss={dismiss} dismissLabel={t("dismiss")} />
    </section>
  );
}
