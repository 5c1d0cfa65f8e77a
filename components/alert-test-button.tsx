"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { TestState } from "@/lib/alerts/contact-form";

/** "Send a test alert" for one contact: sent at once, and what became of it said next to the button. */
export function AlertTestButton({ contactId, action }: { contactId: string; action: (state: TestState, data: FormData) => Promise<TestState> }) {
  const t = useTranslations("alertSettings");
  const [state, formAction, pending] = useActionState(action, { status: "idle" } as TestState);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="contactId" value={contactId} />
      <button type="submit" disabled={pending} className="rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-60" data-testid="send-test-alert">
        {pending ? t("testing") : t("test")}
      </button>
      <span role="status" className="text-xs" data-testid="test-result">
        {state.status === "refused" && <span className="text-red-800">{t("refused")}</span>}
        {state.status === "done" && state.outcome.status === "sent" && <span className="text-emerald-800">✓ {t("testSent")}</span>}
        {state.status === "done" && state.outcome.status !== "sent" && (
          <span className="text-red-800">✕ {t("testFailed", { error: (state.outcome.error ?? state.outcome.status).slice(0, 200) })}</span>
        )}
      </span>
    </form>
  );
}
