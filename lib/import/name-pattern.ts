/**
 * Something a person typed for an import (URL, key, pattern, tenant) is not usable: `field` says which,
 * `code` why (forms turn both into a message key, `import.errors.<field>.<code>`).
 */
export class ImportInputError extends Error {
  constructor(
    message: string,
    readonly field: "gatewayUrl" | "apiKey" | "match" | "tenant" | "wabaId",
    readonly code: "invalid" | "required" | "tooLong" | "nested" = "invalid",
  ) {
    super(message);
    this.name = "ImportInputError";
  }
}

const MAX_PATTERN_LENGTH = 200;

/**
 * A name pattern as typed (a JavaScript regular expression, matched anywhere in the instance name unless
 * anchored with ^…$). It runs on the server against every instance of a gateway, so what must stay true:
 * a pattern that can backtrack without end (a repeated group that itself repeats, `(a+)+`) is refused
 * before it runs, and patterns are short. Instance names are at most 200 characters, which bounds the
 * rest.
 */
export function compileNamePattern(pattern: string): RegExp {
  const source = pattern.trim();
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new ImportInputError(`name pattern is too long (${MAX_PATTERN_LENGTH} characters at most)`, "match", "tooLong");
  }
  let compiled: RegExp;
  try {
    compiled = new RegExp(source);
  } catch (error) {
    throw new ImportInputError(`"${source}" is not a valid regular expression: ${describeSyntaxError(error)}`, "match");
  }
  if (hasNestedRepetition(source)) {
    throw new ImportInputError(`"${source}" repeats a group that itself repeats (like (a+)+), which can run forever; simplify it`, "match", "nested");
  }
  return compiled;
}

function describeSyntaxError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // "Invalid regular expression: /(/: Unterminated group" → "Unterminated group"
  return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
}

const isOpenEndedRepeat = (rest: string) => rest[0] === "*" || rest[0] === "+" || /^\{\d*,\d*\}/.test(rest);

/** A group that contains a quantifier and is itself repeated without bound: `(a+)+`, `(\w*)*`, `((ab)+x){2,}`. */
export function hasNestedRepetition(source: string): boolean {
  const outer: boolean[] = [];
  let repeatsInside = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === "\\") {
      i += 1;
    } else if (char === "[") {
      // A character class: its *, + and ( are literal.
      for (i += 1; i < source.length && source[i] !== "]"; i += 1) if (source[i] === "\\") i += 1;
    } else if (char === "(") {
      outer.push(repeatsInside);
      repeatsInside = false;
    } else if (char === ")") {
      const inner: boolean = repeatsInside;
      repeatsInside = (outer.pop() ?? false) || inner;
      if (inner && isOpenEndedRepeat(source.slice(i + 1))) return true;
    } else if (isOpenEndedRepeat(source.slice(i))) {
      repeatsInside = true;
    }
  }
  return false;
}
