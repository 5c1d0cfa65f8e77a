import fc from "fast-check";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import ptBR from "@/messages/pt-BR.json";
import { CHANNEL_FIELDS, readChannelForm, validateChannelForm, type Validated } from "@/lib/channels/channel-form";

/**
 * Issue 9, point 8: whatever is typed (or posted) into the add/edit form, reading and validating it
 * never throws, a refusal names only the form's fields with a message every language has, and what is
 * accepted is what the rest of the system may assume: plain one-line names, a usable http(s) URL, an
 * E.164 phone.
 */

// Written out here rather than imported, so the test does not share a mistake with the code: NUL and
// every C0/C1 control, DEL, the bidi embeddings/overrides U+202A–U+202E, isolates U+2066–U+2069, and
// the marks LRM, RLM and ALM.
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;

const NASTY = [
  "\u0000", "\u0007", "\t", "\n", "\r", "\u007f", "\u0085", "\u009b", "\u00a0", "\u200b", "\u200e", "\u200f", "\u061c",
  "\u202a", "\u202d", "\u202e", "\u2066", "\u2069", "\u2028", "\ufeff", "\ud800", "\udfff", "😀", "é", " ", "/", "?", "#",
  "%00", "+", ":", "@", "\\", ".", "-",
];

const typed = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(
      { arbitrary: fc.constantFrom(...NASTY), weight: 1 },
      { arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }), weight: 3 },
      { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 1 },
    ),
    maxLength,
  });

/** Mostly plausible, so that many submissions are accepted and their invariants get checked. */
const fields = fc.record({
  gatewayUrl: fc.oneof(
    { arbitrary: fc.webUrl({ validSchemes: ["http", "https"] }), weight: 6 },
    fc.tuple(fc.constantFrom("http://", "https://", "HTTP://", "ftp://", "javascript:", ""), typed(30), fc.constantFrom("", "/", "//")).map((p) => p.join("")),
    typed(60),
  ),
  instanceName: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9_-]{1,30}$/), weight: 2 }, { arbitrary: typed(30), weight: 2 }, typed(210)),
  apiKey: fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z0-9-]{8,40}$/), weight: 6 }, typed(20), typed(520), fc.constant("")),
  displayName: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), { arbitrary: typed(40), weight: 3 }, typed(130)),
  phoneNumber: fc.oneof({ arbitrary: fc.stringMatching(/^\+[1-9][0-9]{7,14}$/), weight: 3 }, typed(20), { arbitrary: fc.constant(""), weight: 3 }),
});

function formData(values: Record<string, string>, extra: [string, string | Blob][] = []): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) {
    // Padding a person may type around a value.
    data.append(name, ` ${value}\t`);
  }
  for (const [name, value] of extra) data.append(name, value);
  return data;
}

type ErrorTree = Record<string, Record<string, string>>;
const LANGUAGES = { en: en.manage.errors as ErrorTree, "pt-BR": ptBR.manage.errors as ErrorTree };

function expectRefusalTheFormCanSay(result: Extract<Validated, { ok: false }>) {
  const entries = Object.entries(result.errors);
  for (const [field, key] of entries) {
    expect(CHANNEL_FIELDS).toContain(field);
    const [owner, kind, ...rest] = key.split(".");
    expect(owner).toBe(field);
    expect(rest).toEqual([]);
    for (const [language, errors] of Object.entries(LANGUAGES)) {
      expect(errors[owner]?.[kind], `${language} manage.errors.${key}`).toMatch(/\S/);
    }
  }
}

function expectPlainName(name: string, max: number) {
  expect(name).toBe(name.trim());
  expect(name.length).toBeGreaterThanOrEqual(1);
  expect(name.length).toBeLessThanOrEqual(max);
  expect(name, `accepted ${JSON.stringify(name)}`).not.toMatch(CONTROL_OR_BIDI);
}

describe("the channel form, fuzzed", () => {
  it("reads any submission without throwing, trimmed, blanks as absent", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...CHANNEL_FIELDS, "other", "$ACTION_ID"), typed(50)),
        fc.array(fc.tuple(fc.constantFrom(...CHANNEL_FIELDS), fc.oneof(typed(10), fc.constant(new Blob(["x"]))))),
        (values, extra) => {
          const input = readChannelForm(formData(values, extra));
          for (const field of ["gatewayUrl", "instanceName", "displayName"] as const) {
            expect(input[field]).toBe(input[field].trim());
          }
          if (input.apiKey !== undefined) expect(input.apiKey).toBe(input.apiKey.trim());
          expect(input.apiKey).not.toBe("");
          expect(input.phoneNumber).not.toBe("");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("validates anything at all without throwing", () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true }), fc.constantFrom("create", "edit") as fc.Arbitrary<"create" | "edit">, (input, mode) => {
        // Callers pass readChannelForm's object; anything else is refused (with no field to blame).
        const result = validateChannelForm(input, mode);
        if (result.ok) expect(typeof input).toBe("object");
        else expectRefusalTheFormCanSay(result);
      }),
      { numRuns: 300 },
    );
  });

  it("accepts only plain names, a usable http(s) URL, a sane key and an E.164 phone; refuses with keys it can say", () => {
    fc.assert(
      fc.property(fields, fc.constantFrom("create", "edit") as fc.Arbitrary<"create" | "edit">, (values, mode) => {
        const result = validateChannelForm(readChannelForm(formData(values)), mode);
        if (!result.ok) {
          // A submission of the form's fields is always refused for a field the form can point at.
          expect(Object.keys(result.errors).length).toBeGreaterThan(0);
          expectRefusalTheFormCanSay(result);
          return;
        }
        const value = result.value;
        expectPlainName(value.displayName, 120);
        expectPlainName(value.instanceName, 200);
        expect(value.instanceName).not.toMatch(/[\s/?#]/u);
        const url = new URL(value.gatewayUrl);
        expect(["http:", "https:"]).toContain(url.protocol);
        expect(value.gatewayUrl).not.toMatch(/\/$/);
        if (mode === "create" || value.apiKey !== undefined) {
          expect(value.apiKey).toBe(value.apiKey!.trim());
          expect(value.apiKey!.length).toBeGreaterThanOrEqual(8);
          expect(value.apiKey!.length).toBeLessThanOrEqual(500);
          expect(value.apiKey).not.toMatch(CONTROL_OR_BIDI);
        }
        if (value.phoneNumber != null) expect(value.phoneNumber).toMatch(/^\+[1-9][0-9]{7,14}$/);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses a name or instance name carrying NUL, a control character or a bidi override, however it is placed", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("displayName", "instanceName") as fc.Arbitrary<"displayName" | "instanceName">,
        fc.stringMatching(/^[a-z]{1,10}$/),
        fc.constantFrom("\u0000", "\u0001", "\u001b", "\u007f", "\u009b", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"),
        fc.stringMatching(/^[a-z]{1,10}$/),
        (field, before, bad, after) => {
          const values = {
            gatewayUrl: "https://evolution.example.com", instanceName: "recepcao", apiKey: "a-long-enough-key",
            displayName: "Recepção", phoneNumber: "", [field]: `${before}${bad}${after}`,
          };
          const result = validateChannelForm(readChannelForm(formData(values)), "create");
          expect(result.ok, `accepted ${JSON.stringify(values[field])}`).toBe(false);
          if (!result.ok) expect(Object.keys(result.errors)).toEqual([field]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
