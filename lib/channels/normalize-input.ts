/**
 * What people type for a phone number and a gateway URL, turned into what the schema checks
 * (E.164, an http(s) URL) before validation. Only unambiguous shapes are rewritten; anything else
 * is returned as typed so the schema refuses it with its usual message.
 */

/** Brazil: the demo tenants' country. Tenants have no country column yet, so every form uses it. */
export const DEFAULT_CALLING_CODE = "55";

/**
 * `(12) 99123-0004` → `+5512991230004` (a national number: the tenant's calling code is added);
 * `+55 12 99123-0004` → `+5512991230004` (spaces, dots, dashes and brackets dropped);
 * `5512991230004` → `+5512991230004` (digits that already start with the calling code and are too long
 * to be a national number); `0 12 99123-0004` (trunk prefix) → `+5512991230004`.
 */
export function normalizePhone(typed: string, callingCode: string = DEFAULT_CALLING_CODE): string {
  const trimmed = typed.trim();
  if (!/^\+?[0-9\s().\-]+$/.test(trimmed)) return trimmed;
  const digits = trimmed.replace(/[^0-9]/g, "");
  if (digits.length === 0) return trimmed;
  if (trimmed.startsWith("+")) return `+${digits}`;
  if (trimmed.startsWith("00")) return `+${digits.slice(2)}`;
  const national = digits.replace(/^0(?=[1-9])/, "");
  // Brazil's national numbers have 10 (landline) or 11 (mobile) digits: longer ones already carry 55.
  if (callingCode === "55" && digits.startsWith("55") && digits.length >= 12) return `+${digits}`;
  return `+${callingCode}${national}`;
}

/** `evolution.example.com` or `evolution.example.com:8080/x` → with `https://`; a typed scheme is kept. */
export function normalizeGatewayUrl(typed: string): string {
  const trimmed = typed.trim();
  if (trimmed === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return trimmed;
  // A bare host (optionally :port and a path): letters, digits, dots, dashes; no spaces, no "@".
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*(:[0-9]{1,5})?(\/[^\s@]*)?$/i.test(trimmed)) return trimmed;
  return `https://${trimmed}`;
}
