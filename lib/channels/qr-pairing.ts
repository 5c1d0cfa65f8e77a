import QRCode from "qrcode";
import type { ChannelActionDeps, Refusal } from "@/lib/channels/action-deps";
import { readChannelAccess } from "@/lib/channels/channel-access";
import { loadChannelTarget } from "@/lib/channels/channel-target";
import { checkChannelNow } from "@/lib/channels/check-now";
import { beginManualAction, describeError, finishManualAction } from "@/lib/channels/manual-action";
import { runAsUser, type VerifiedClaims } from "@/lib/db/sessions";
import { DEFAULT_RECONNECT_POLICY } from "@/lib/monitor/reconnect-policy";
import type { ConnectResult } from "@/lib/providers/types";

/** Asking again for a QR within this long only restarts the gateway's pairing for nothing. */
export const QR_REQUEST_INTERVAL_MS = 15_000;

export interface QrCodeView {
  /** A PNG data URL: the gateway's own image, or `code` rendered here. */
  image: string;
  pairingCode: string | null;
  /** How many codes the gateway has issued in this pairing attempt (it gives up after a few). */
  count: number;
}

export type PairingResult =
  | Refusal
  | { status: "qr"; qr: QrCodeView; expiresAt: string }
  | { status: "waiting"; expiresAt: string }
  | { status: "connected" }
  | { status: "expired" }
  | { status: "failed"; detail: string };

/** The monitor leaves a pairing channel alone this long after the request; the page stops polling then too. */
function pairingWindowMs(deps: ChannelActionDeps): number {
  return (deps.policy ?? DEFAULT_RECONNECT_POLICY).qrGraceMs;
}

async function qrView(result: Extract<ConnectResult, { kind: "qr" }>): Promise<QrCodeView> {
  const image = result.base64?.startsWith("data:image/")
    ? result.base64
    : await QRCode.toDataURL(result.code, { margin: 1, width: 264, errorCorrectionLevel: "L" });
  return { image, pairingCode: result.pairingCode ?? null, count: result.count };
}

async function viewOf(result: ConnectResult, expiresAt: Date): Promise<PairingResult> {
  if (result.kind === "open") return { status: "connected" };
  if (result.kind === "qr") return { status: "qr", qr: await qrView(result), expiresAt: expiresAt.toISOString() };
  return { status: "waiting", expiresAt: expiresAt.toISOString() };
}

/**
 * A tenant admin asks the gateway for a QR code to pair the number again (connect, through the
 * gateway, on the service path). Audited as `qr_request`; channel_status.qr_requested_at tells the
 * monitor to leave the channel alone while the pairing is in progress.
 */
export async function requestQr(deps: ChannelActionDeps, claims: VerifiedClaims, channelId: string): Promise<PairingResult> {
  const started = await beginManualAction(deps, claims, channelId, "qr_request", QR_REQUEST_INTERVAL_MS);
  if (started.status !== "started") return started;
  const expiresAt = new Date(started.requestedAt.getTime() + pairingWindowMs(deps));
  // Before the gateway call: a pass running meanwhile must already see the pairing in progress.
  await deps.sql`
    update public.channel_status set qr_requested_at = ${started.requestedAt}, updated_at = now()
    where channel_id = ${channelId}
  `;
  try {
    const { provider, target } = await loadChannelTarget(deps.sql, channelId, deps.secretKey);
    const gateway = deps.providers[provider];
    if (!gateway.connect) throw new Error(`${provider} gateways pair no QR code`);
    const result = await gateway.connect(target);
    await finishManualAction(deps, started.actionId, "ok", describeConnect(result));
    if (result.kind === "open") await checkChannelNow(deps, channelId);
    return viewOf(result, expiresAt);
  } catch (error) {
    const detail = describeError(error);
    await finishManualAction(deps, started.actionId, "failed", detail);
    // No pairing is in progress after all: the monitor need not hold back.
    await deps.sql`
      update public.channel_status set qr_requested_at = null
      where channel_id = ${channelId} and qr_requested_at = ${started.requestedAt}
    `;
    return { status: "failed", detail };
  }
}

/**
 * What the pairing looks like now, for the page to poll: connected (then the channel is checked at
 * once), the current QR (the gateway rotates it), or expired when the window is over or the gateway
 * gave up. Admin-only like the request; polls are not audited.
 */
export async function pollQr(deps: ChannelActionDeps, claims: VerifiedClaims, channelId: string): Promise<PairingResult> {
  const seen = await runAsUser(deps.sql, claims, async (tx) => {
    const access = await readChannelAccess(tx, channelId);
    if (!access) return { status: "not_found" as const };
    if (!access.admin) return { status: "forbidden" as const };
    const [row] = await tx<{ at: Date | null }[]>`
      select qr_requested_at as at from public.channel_status where channel_id = ${channelId}
    `;
    return { status: "visible" as const, requestedAt: row?.at ?? null };
  });
  if (seen.status !== "visible") return seen;
  const now = deps.clock();
  if (!seen.requestedAt || now.getTime() >= seen.requestedAt.getTime() + pairingWindowMs(deps)) return { status: "expired" };
  const expiresAt = new Date(seen.requestedAt.getTime() + pairingWindowMs(deps));

  try {
    const { provider, target } = await loadChannelTarget(deps.sql, channelId, deps.secretKey);
    const gateway = deps.providers[provider];
    const report = await gateway.getState(target);
    if (report.state === "open") {
      await checkChannelNow(deps, channelId);
      return { status: "connected" };
    }
    // 515 (restart required) is the gateway's normal blink right after the phone scanned the code.
    if (report.state === "close" && report.reasonCode === 515) return { status: "waiting", expiresAt: expiresAt.toISOString() };
    if (report.state !== "connecting") return { status: "expired" };
    // While connecting, connect only answers the gateway's current code; it does not start over.
    if (!gateway.connect) return { status: "failed", detail: `${provider} gateways pair no QR code` };
    return viewOf(await gateway.connect(target), expiresAt);
  } catch (error) {
    return { status: "failed", detail: describeError(error) };
  }
}

function describeConnect(result: ConnectResult): string {
  if (result.kind === "open") return "gateway reports the session open: nothing to pair";
  if (result.kind === "qr") return `gateway issued QR code #${result.count}`;
  return "gateway is connecting; no QR code yet";
}
