import type { ActionEntry } from "@/lib/db/channel-detail";
import { GATEWAY_CAUSES, gatewayCause } from "@/lib/format/gateway-cause";

/** Every key describeAction can return, for the test that checks both message files have them. */
export const ACTION_SUMMARY_KEYS: readonly string[] = [
  ...GATEWAY_CAUSES.filter((cause) => cause !== "other"),
  "qrPreparing", "qrNotNeeded", "webhookLeft", "webhookGatewayDown", "webhookNotRestored", "webhookAdopted", "webhookRestored",
  "appSubscribed", "appNotSubscribed", "done", "failed",
];

/** What an action log row says in plain words: a key under `channel.actionSummary`, or null (the kind says it all). */
export function describeAction(action: Pick<ActionEntry, "kind" | "outcome" | "detail">): string | null {
  const { kind, outcome, detail } = action;
  if (kind === "pause" || kind === "resume") return null;
  if (kind === "webhook_restore") {
    if (outcome === "skipped") return "webhookLeft";
    // The Cloud API's webhook is the app's subscription to the account (lib/monitor/app-subscription.ts).
    const app = /^app subscription/.test(detail ?? "");
    if (outcome === "failed") return gatewayCause(detail) === "gatewayDown" ? "webhookGatewayDown" : app ? "appNotSubscribed" : "webhookNotRestored";
    if (app) return "appSubscribed";
    return /^platform webhook/.test(detail ?? "") ? "webhookAdopted" : "webhookRestored";
  }
  const cause = gatewayCause(detail);
  if (kind === "qr_request" && outcome === "ok" && cause === "connecting") return "qrPreparing";
  if (kind === "qr_request" && outcome === "ok" && cause === "open") return "qrNotNeeded";
  if (cause === "other") return outcome === "ok" ? "done" : "failed";
  return cause;
}
