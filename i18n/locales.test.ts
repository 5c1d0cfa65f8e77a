import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage, resolveLocale } from "@/i18n/locales";

describe("localeFromAcceptLanguage", () => {
  it.each([
    ["en-US,en;q=0.9", "en"],
    ["en", "en"],
    ["en-GB", "en"],
    ["pt-BR,pt;q=0.9,en;q=0.8", "pt-BR"],
    ["pt-PT", "pt-BR"],
    ["fr-FR,fr;q=0.9,en;q=0.8,pt;q=0.7", "en"],
    ["fr-FR,pt;q=0.5,en;q=0.4", "pt-BR"],
    ["en;q=0.2, pt-BR;q=0.8", "pt-BR"],
    ["EN-us", "en"],
    ["en;q=0, de", "pt-BR"],
    ["de-DE", "pt-BR"],
    ["*", "pt-BR"],
    ["", "pt-BR"],
    [null, "pt-BR"],
    [";;,;q=abc", "pt-BR"],
  ])("%j → %s", (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });
});

describe("resolveLocale", () => {
  it("keeps one of ours and defaults anything else", () => {
    expect(resolveLocale("en")).toBe("en");
    expect(resolveLocale("fr")).toBe("pt-BR");
    expect(resolveLocale(undefined)).toBe("pt-BR");
  });
});
