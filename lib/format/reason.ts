import type { ChannelState } from "@/lib/monitor/states";

/**
 * The monitor stores its reasons in English (lib/monitor/classify-state.ts): stable texts, some with a
 * code in them. This maps each one to a message key under `reasons` so the pages can say it in the
 * reader's language. A text it does not know (a gateway's own error message, an older row, a reason
 * written by someone else) is never shown as it is: the reader gets a plain sentence for the state
 * (`unexplained`), and the stored words ride along as `detail`, which only admins see (under
 * "Detalhes técnicos"). reason.test.ts runs every verdict classify-state can produce through here, so a
 * new or reworded reason there fails the test instead of falling back to the generic sentence.
 */

export type ReasonMessage =
  | {
      key: string;
      values?: Record<string, string | number>;
      /** The stored words behind the sentence, for admins only. */
      detail?: string;
    }
  /** No longer returned; kept while app/admin/page.tsx and app/channels/page.tsx still test for it. */
  | { raw: string };

const EXACT: Record<string, string> = {
  "logged out (device unlinked)": "loggedOut",
  "refused by WhatsApp (402)": "refused402",
  "forbidden (number may be banned)": "forbidden",
  "refused by WhatsApp (406)": "refused406",
  "connection lost / timed out": "connectionLost",
  "multi-device mismatch": "multiDevice",
  "connection closed": "connectionClosed",
  "connection replaced by another session": "replaced",
  "bad session": "badSession",
  "WhatsApp unavailable": "whatsappUnavailable",
  "restart required": "restartRequired",
  "closed (no reason given)": "closedNoReason",
  "QR code limit reached: pair again": "qrLimit",
  "instance not found on the gateway": "instanceNotFound",
  "gateway rejected the API key": "apiKeyRejected",
  "gateway answered something unreadable": "unreadable",
  "gateway refused the request": "gatewayRefused",
  "gateway is not answering": "gatewayUnreachable",
  "gateway answered a redirect": "redirected",
  "never paired: scan the QR code": "neverPaired",
  "waiting for a QR scan (gateway is showing a QR code)": "awaitingScan",
  "session stopped on the gateway": "stoppedOnGateway",
  "session failed on the gateway": "failedOnGateway",
  "check failed unexpectedly": "unexpected",
  "stored API key cannot be decrypted": "secretUnreadable",
  "no API key for this gateway: enter it again": "apiKeyMissing",
  // Written by public.sync_channel_pause() (20261128000600_channel_actions.sql).
  "monitoring paused by an admin": "pausedByAdmin",
  "monitoring resumed by an admin": "resumedByAdmin",
};

/** What a connected or connecting channel's reason says adds nothing to its state badge. */
const SILENT = new Set(["open", "connecting"]);

/** Null when there is nothing worth saying beside the state. */
export function describeReason(state: ChannelState, reason: string | null): ReasonMessage | null {
  const text = reason?.trim();
  if (!text || SILENT.has(text) || state === "connected") return null;
  const key = EXACT[text];
  if (key) return { key };
  const code = /^closed \(code (\d+)\)$/.exec(text);
  if (code) return { key: "closedCode", values: { code: Number(code[1]) } };
  // Written by classify-state.ts for a URL the outbound guard refused (lib/net/address-policy.ts ranges).
  const refused = /^gateway address not allowed: (\S+) \(([a-z-]+)\)$/.exec(text);
  if (refused) {
    const range = refused[2].replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    return { key: "addressRefused", values: { address: refused[1], range } };
  }
  // A provider outage carries the transport's own words (timeouts, refused connections, HTTP 5xx):
  // say what it means, and keep the words as the detail for whoever debugs it.
  if (state === "provider_down") return { key: "gatewayUnreachable", detail: text };
  return { key: "unexplained", values: { state }, detail: text };
}

/** Every key describeReason can return, for the test that checks both message files have them. */
export const REASON_KEYS: readonly string[] = [
  ...new Set([...Object.values(EXACT), "closedCode", "gatewayUnreachable", "addressRefused", "unexplained"]),
];
