/**
 * Names people type (channel display names, instance names, tenant names and slugs) are plain text:
 * no control characters (a NUL cannot even be stored in a Postgres text column) and no bidirectional
 * marks, overrides or isolates, which make a name read differently from what it is ("Trojan Source").
 * Refused, never silently stripped: the person should see what was wrong with what they typed.
 */
// C0 and C1 controls, DEL, line/paragraph separators, the Arabic letter mark, LRM/RLM, the bidi
// embeddings/overrides U+202A–U+202E and isolates U+2066–U+2069.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export const INVALID_CHARACTERS = "invalidCharacters";

export function hasForbiddenCharacters(text: string): boolean {
  return FORBIDDEN.test(text);
}

/** `.refine(...noForbiddenCharacters("name"))`: the issue carries `params.reason` for the form's message key. */
export function noForbiddenCharacters(label: string) {
  return [
    (text: string) => !hasForbiddenCharacters(text),
    {
      message: `${label} cannot contain control or bidirectional-override characters`,
      params: { reason: INVALID_CHARACTERS },
    },
  ] as const;
}

/** For echoing what someone typed in a one-line message: forbidden characters as `\uXXXX`. */
export function showEscaped(text: string): string {
  return text.replace(new RegExp(FORBIDDEN.source, "gu"), (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, "0")}`);
}
