/**
 * Tenant time zones. New ones are validated where they are typed (`tenant add --timezone`) and by a
 * check constraint; one that is already stored and does not exist must not break anything that runs
 * for every tenant (a monitor pass, a webhook delivery): it falls back to UTC, with a logged error.
 */

export const FALLBACK_TIME_ZONE = "UTC";

const known = new Map<string, boolean>();

/** True for an IANA name this runtime knows (`America/Sao_Paulo`, `UTC`); false for `Mars/Olympus`. */
export function isValidTimeZone(name: string): boolean {
  let valid = known.get(name);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: name });
      valid = name.trim() !== "";
    } catch {
      valid = false;
    }
    known.set(name, valid);
  }
  return valid;
}

const reported = new Set<string>();

/** The zone itself when valid; otherwise UTC, logging the bad name once per process. */
export function usableTimeZone(name: string, log: (message: string) => void = console.error): string {
  if (isValidTimeZone(name)) return name;
  if (!reported.has(name)) {
    reported.add(name);
    log(`time zone ${JSON.stringify(name)} does not exist: using ${FALLBACK_TIME_ZONE} instead (fix the tenant's time zone)`);
  }
  return FALLBACK_TIME_ZONE;
}
