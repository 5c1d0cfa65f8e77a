"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import type { Refusal } from "@/lib/channels/action-deps";
import { forceReconnect } from "@/lib/channels/force-reconnect";
import { setChannelPaused } from "@/lib/channels/pause-channel";
import { pollQr, requestQr, type PairingResult } from "@/lib/channels/qr-pairing";
import { channelActionDeps } from "@/lib/channels/runtime";
import { requireClaims } from "@/lib/auth/session";
import { gatewayCause } from "@/lib/format/gateway-cause";

/**
 * The channel page's admin actions. Thin on purpose: validate the input, take the verified claims,
 * call lib/channels (which authorizes against the database, rate-limits and audits), and say what
 * happened in the reader's language. Never trusts that the page only showed the buttons to admins.
 */

export interface ActionOutcome {
  ok: boolean;
  message: string;
}

/**
 * A failed pairing says why in plain words (`cause`); the gateway's own words (`detail`) stay with the
 * QR panel, which only admins get, under "Detalhes técnicos".
 */
export type PairingView =
  | Exclude<PairingResult, Refusal | { status: "failed" }>
  | { status: "failed"; cause: string; detail: string }
  | { status: "refused"; message: string };

const channelInput = z.object({ channelId: z.uuid() });
const pauseInput = channelInput.extend({ paused: z.boolean() });

type Translate = Awaited<ReturnType<typeof getTranslations>>;

function refusalMessage(t: Translate, refusal: Refusal): string {
  if (refusal.status === "rate_limited") return t("actions.toast.rateLimited", { seconds: refusal.retryAfterSeconds });
  return t(refusal.status === "forbidden" ? "actions.toast.forbidden" : "actions.toast.notFound");
}

const stateName = (t: Translate, state: string | null) => t(`states.${state ?? "unknown"}`);

function causeOrFailed(detail: string | null): string {
  const cause = gatewayCause(detail);
  return cause === "other" ? "failed" : cause;
}

export async function forceReconnectAction(input: { channelId: string }): Promise<ActionOutcome> {
  const t = await getTranslations();
  const parsed = channelInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: t("actions.toast.notFound") };
  const claims = await requireClaims();
  const result = await forceReconnect(await channelActionDeps(), claims, parsed.data.channelId);
  if (result.status === "needs_qr") return { ok: false, message: t("actions.toast.needsQr") };
  if (result.status !== "done") return { ok: false, message: refusalMessage(t, result) };
  revalidatePath(`/channels/${parsed.data.channelId}`);
  const state = stateName(t, result.state);
  return result.outcome === "ok"
    ? { ok: true, message: t("actions.toast.reconnected", { state }) }
    // Plain words only: what the gateway literally said is in the actions log's technical details.
    : { ok: false, message: t("actions.toast.reconnectFailed", { state, cause: t(`channel.actionSummary.${causeOrFailed(result.detail)}`) }) };
}

export async function setPausedAction(input: { channelId: string; paused: boolean }): Promise<ActionOutcome> {
  const t = await getTranslations();
  const parsed = pauseInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: t("actions.toast.notFound") };
  const claims = await requireClaims();
  const result = await setChannelPaused(await channelActionDeps(), claims, parsed.data.channelId, parsed.data.paused);
  if (result.status !== "done") return { ok: false, message: refusalMessage(t, result) };
  revalidatePath(`/channels/${parsed.data.channelId}`);
  return result.paused
    ? { ok: true, message: t("actions.toast.paused") }
    : { ok: true, message: t("actions.toast.resumed", { state: stateName(t, result.state) }) };
}

async function pairing(input: { channelId: string }, run: typeof requestQr): Promise<PairingView> {
  const t = await getTranslations();
  const parsed = channelInput.safeParse(input);
  if (!parsed.success) return { status: "refused", message: t("actions.toast.notFound") };
  const claims = await requireClaims();
  const result = await run(await channelActionDeps(), claims, parsed.data.channelId);
  if (result.status === "not_found" || result.status === "forbidden" || result.status === "rate_limited") {
    return { status: "refused", message: refusalMessage(t, result) };
  }
  if (result.status === "connected") revalidatePath(`/channels/${parsed.data.channelId}`);
  if (result.status === "failed") return { ...result, cause: t(`channel.actionSummary.${causeOrFailed(result.detail)}`) };
  return result;
}

/** Asks the gateway for a QR code (audited; the monitor holds back while the pairing lasts). */
export async function requestQrAction(input: { channelId: string }): Promise<PairingView> {
  return pairing(input, requestQr);
}

/** The pairing now: the current code, connected, or expired. The page polls this every few seconds. */
export async function pollQrAction(input: { channelId: string }): Promise<PairingView> {
  return pairing(input, pollQr);
}
