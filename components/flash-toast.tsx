"use client";

import { useCallback, useEffect, useState } from "react";
import { Toast, type ToastMessage } from "@/components/toast";

/**
 * A success toast for what the previous page did (e.g. `/channels?removido=1` after a removal). The
 * words come from the page, never from the URL, so a crafted link can only show our own message; the
 * flag is taken out of the address at once, so a reload or a shared link does not say it again.
 */
export function FlashToast({ text, dismissLabel, param }: { text: string; dismissLabel: string; param: string }) {
  const [message, setMessage] = useState<ToastMessage | null>({ id: 1, tone: "success", text });
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!url.searchParams.has(param)) return;
    url.searchParams.delete(param);
    window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
  }, [param]);
  const dismiss = useCallback(() => setMessage(null), []);
  return <Toast message={message} onDismiss={dismiss} dismissLabel={dismissLabel} />;
}
