import type { ChannelOutcome } from "@/lib/monitor/types";

/**
 * Text that came from a gateway, made safe to store. PostgreSQL refuses NUL in text and jsonb (22P05,
 * 22021) and jsonb refuses a lone UTF-16 surrogate: one such character in one channel's answer used to
 * fail the whole batch write. So: no C0/C1 control characters (tab and newline stay), no lone surrogates
 * (each becomes U+FFFD), and at most `max` characters, never cutting a surrogate pair in half.
 */

export const TEXT_LIMITS = {
  /** A state's reason: one line shown next to the state. */
  reason: 300,
  /** A check's or action's detail: enough for an error message plus a body snippet. */
  detail: 1000,
  /** What the gateway calls its own state (`open`, `close` … or anything it invents). */
  gatewayState: 64,
  errorCode: 64,
} as const;

// C0 controls except \t (09) and \n (0A), DEL, and C1 controls.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ELLIPSIS = "…";
// Anything either replacement could touch: without it (almost every text), the text is already clean.
const MAYBE_UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uD800-\uDFFF]/;

export function sanitizeText(value: string, max: number): string {
  if (value.length <= max && !MAYBE_UNSAFE.test(value)) return value;
  const clean = value.replace(LONE_SURROGATE, "\uFFFD").replace(CONTROL, "");
  if (clean.length <= max) return clean;
  let end = Math.max(0, max - ELLIPSIS.length);
  // Cutting between a high and a low surrogate would leave a lone one behind.
  if (end > 0 && /[\uD800-\uDBFF]/.test(clean[end - 1])) end--;
  return clean.slice(0, end) + ELLIPSIS;
}

/** For nullable columns: null and undefined stay null. */
export function sanitizeOptional(value: string | null | undefined, max: number): string | null {
  return value === null || value === undefined ? null : sanitizeText(value, max);
}

/**
 * Every free text of an outcome, made storable. Applied where an outcome is built and again by the store
 * right before it serializes a batch: what one gateway says must never fail another channel's write.
 */
export function sanitizeOutcome(outcome: ChannelOutcome): ChannelOutcome {
  // Twice per check (here and in the store): an outcome that is already clean comes back as it is.
  if (isClean(outcome)) return outcome;
  const { reason, detail, gatewayState, errorCode } = TEXT_LIMITS;
  return {
    ...outcome,
    status: {
      ...outcome.status,
      reason: sanitizeOptional(outcome.status.reason, reason),
      pendingReason: sanitizeOptional(outcome.status.pendingReason, reason),
    },
    transition: outcome.transition && { ...outcome.transition, reason: sanitizeText(outcome.transition.reason, reason) },
    check: outcome.check && {
      ...outcome.check,
      gatewayState: sanitizeOptional(outcome.check.gatewayState, gatewayState),
      errorCode: sanitizeOptional(outcome.check.errorCode, errorCode),
      detail: sanitizeOptional(outcome.check.detail, detail),
    },
    actions: outcome.actions.map((action) => ({ ...action, detail: sanitizeOptional(action.detail, detail) })),
    monitorError: sanitizeOptional(outcome.monitorError, detail),
  };
}

const cleanOptional = (value: string | null | undefined, max: number) =>
  value === null || value === undefined || sanitizeText(value, max) === value;

function isClean(outcome: ChannelOutcome): boolean {
  const { reason, detail, gatewayState, errorCode } = TEXT_LIMITS;
  const { status, transition, check } = outcome;
  return cleanOptional(status.reason, reason) && cleanOptional(status.pendingReason, reason)
    && (!transition || sanitizeText(transition.reason, reason) === transition.reason)
    && (!check || (cleanOptional(check.gatewayState, gatewayState) && cleanOptional(check.errorCode, errorCode)
      && cleanOptional(check.detail, detail)))
    && outcome.actions.every((action) => cleanOptional(action.detail, detail))
    && (outcome.monitorError === undefined || cleanOptional(outcome.monitorError, detail));
}
