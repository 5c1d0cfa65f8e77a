import { describe, expect, it } from "vitest";
import { hasForbiddenCharacters } from "@/lib/text/plain-text";

describe("hasForbiddenCharacters", () => {
  it("refuses NUL, other controls and every bidi mark, embedding, override and isolate", () => {
    const refused = [
      "\u0000", "\u0007", "\t", "\n", "\r", "\u001b", "\u007f", "\u0085", "\u009f", "\u061c",
      "\u200e", "\u200f", "\u2028", "\u2029",
      "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    ];
    for (const char of refused) expect(hasForbiddenCharacters(`Recepção${char}Centro`), JSON.stringify(char)).toBe(true);
  });

  it("accepts what real names hold: accents, emoji with joiners, CJK, Arabic, Hebrew", () => {
    for (const name of ["Recepção — Centro", "Imobiliária São José 2", "👩‍💼 Atendimento", "東京オフィス", "مكتب الرياض", "משרד תל אביב", "tenant--canal-1"]) {
      expect(hasForbiddenCharacters(name), name).toBe(false);
    }
  });
});
