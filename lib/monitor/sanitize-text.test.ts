import { describe, expect, it } from "vitest";
import { sanitizeText } from "@/lib/monitor/sanitize-text";

describe("sanitizeText", () => {
  it("drops NUL and other control characters, keeping tab and newline", () => {
    expect(sanitizeText("a\u0000b\u0007c\td\ne\u001bf\u007fg\u0085h", 100)).toBe("abc\td\nefgh");
  });

  it("replaces lone surrogates and keeps real pairs", () => {
    expect(sanitizeText("x\uD800y\uDC00z", 100)).toBe("x\uFFFDy\uFFFDz");
    expect(sanitizeText("ok 😀", 100)).toBe("ok 😀");
  });

  it("caps the length without splitting a surrogate pair", () => {
    expect(sanitizeText("abcdef", 4)).toBe("abc…");
    const capped = sanitizeText("ab😀cd", 4);
    expect(capped).toBe("ab…");
    expect(JSON.stringify(capped)).not.toMatch(/\\ud83d/i);
  });

  it("gives jsonb something it takes: no \\u0000 escape and no lone surrogate escape", () => {
    const json = JSON.stringify(sanitizeText("driver said \u0000 near \uD800", 1000));
    expect(json).not.toMatch(/\\u0000|\\ud800/i);
  });
});
