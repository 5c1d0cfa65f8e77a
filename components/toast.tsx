"use client";

import { useEffect } from "react";

export interface ToastMessage {
  /** Changes with every message, so the same words twice are announced twice. */
  id: number;
  tone: "success" | "error";
  text: string;
}

interface Props {
  message: ToastMessage | null;
  onDismiss: () => void;
  dismissLabel: string;
  /** Hides itself after this long; errors stay until dismissed. */
  autoHideMs?: number;
}

const TONE = {
  success: { icon: "✓", className: "border-emerald-300 bg-emerald-50 text-emerald-950" },
  error: { icon: "!", className: "border-red-300 bg-red-50 text-red-950" },
};

/**
 * The outcome of an action, where a screen reader hears it: the live region is always in the page
 * (an element inserted together with its text is often not announced); only its content changes.
 */
export function Toast({ message, onDismiss, dismissLabel, autoHideMs = 8_000 }: Props) {
  useEffect(() => {
    if (!message || message.tone === "error") return;
    const timer = setTimeout(onDismiss, autoHideMs);
    return () => clearTimeout(timer);
  }, [message, onDismiss, autoHideMs]);

  return (
    <div aria-live="polite" role="status" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4 sm:justify-end">
      {message && (
        <div
          key={message.id}
          data-testid="toast"
          data-tone={message.tone}
          className={`pointer-events-auto flex max-w-md items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${TONE[message.tone].className}`}
        >
          <span aria-hidden="true" className="font-bold">{TONE[message.tone].icon}</span>
          <p className="flex-1">{message.text}</p>
          <button type="button" onClick={onDismiss} className="rounded px-1 font-semibold hover:bg-black/5" aria-label={dismissLabel}>
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
