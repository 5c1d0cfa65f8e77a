"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { holdOrder } from "@/lib/format/held-order";

/**
 * Rows in the order the reader has been looking at (lib/format/held-order.ts): a refresh that reorders
 * them only sets `moved`. The fresh order applies when `resetKey` changes (the reader filtered,
 * searched or sorted) or when they ask for it (`apply`).
 */
export function useHeldOrder<T>(rows: T[], idOf: (row: T) => string, resetKey: string) {
  const fresh = rows.map(idOf);
  const [held, setHeld] = useState({ ids: fresh, key: resetKey });
  // An interaction changed the key: take the fresh order now, during this render (no flash of the old one).
  if (held.key !== resetKey) setHeld({ ids: fresh, key: resetKey });
  const { order, moved } = holdOrder(held.key === resetKey ? held.ids : null, fresh);
  const byId = new Map(rows.map((row) => [idOf(row), row]));
  return {
    rows: order.map((id) => byId.get(id)).filter((row): row is T => row !== undefined),
    moved,
    apply: () => setHeld({ ids: fresh, key: resetKey }),
  };
}

/** The gentle notice that the order changed, with the button that applies it. Announced, never moving focus. */
export function HeldOrderNotice({ moved, onApply }: { moved: boolean; onApply: () => void }) {
  const t = useTranslations("refresh");
  return (
    <div aria-live="polite" className="min-h-0">
      {moved && (
        <p className="flex flex-wrap items-center gap-2 rounded-md border border-brand-600/30 bg-brand-50 px-3 py-2 text-sm text-slate-800" data-testid="held-order">
          <span aria-hidden="true">↕</span>
          {t("newOrder")}
          <button type="button" onClick={onApply} className="rounded font-semibold text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-brand-700">
            {t("applyOrder")}
          </button>
        </p>
      )}
    </div>
  );
}
