import { describe, expect, it } from "vitest";
import { ContactInputError, parseContactInput } from "@/lib/alerts/contact-input";
import { fieldErrorKey, readContactForm } from "@/lib/alerts/contact-form";

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

const CHANNEL = "0f0e0d0c-0000-4000-8000-000000000001";

describe("the alert contact form", () => {
  it("reads an e-mail contact with some channels, some states and quiet hours", () => {
    const { raw, echo } = readContactForm(form([
      ["name", " Bruno "], ["kind", "email"], ["target", "Bruno@Hotel.test"], ["channelScope", "some"], ["channelIds", CHANNEL],
      ["states", "needs_qr"], ["states", "nonsense"], ["language", "en"], ["quietStart", "22:00"], ["quietEnd", "07:00"], ["criticalOverridesQuiet", "on"],
      ["webhookUrl", "https://ignored.example"],
    ]));
    expect(parseContactInput(raw, { creating: true })).toEqual({
      name: "Bruno", kind: "email", target: "bruno@hotel.test", webhookUrl: null, channelIds: [CHANNEL], states: ["needs_qr"],
      language: "en", quietHours: { start: "22:00", end: "07:00" }, criticalOverridesQuiet: true,
    });
    expect(echo).not.toHaveProperty("webhookUrl");
  });

  it("'only these channels' with none ticked is refused, not read as all", () => {
    const { raw } = readContactForm(form([["name", "X"], ["kind", "email"], ["target", "x@y.test"], ["channelScope", "some"]]));
    expect(() => parseContactInput(raw, { creating: true })).toThrow(ContactInputError);
    try {
      parseContactInput(raw, { creating: true });
    } catch (error) {
      const e = error as ContactInputError;
      expect(fieldErrorKey(e.field, e.reason)).toBe("channels");
    }
  });

  it("a webhook needs its URL on create; on edit a blank one keeps the stored URL", () => {
    const { raw } = readContactForm(form([["name", "Hook"], ["kind", "webhook"], ["webhookUrl", ""]]));
    expect(() => parseContactInput(raw, { creating: true })).toThrow(/webhook URL is required/);
    expect(parseContactInput(raw, { creating: false }).webhookUrl).toBeNull();
  });

  it("one quiet time without the other is refused; anything posted is read without throwing", () => {
    const { raw } = readContactForm(form([["name", "X"], ["kind", "whatsapp"], ["target", "+5511987654321"], ["quietStart", "22:00"]]));
    expect(() => parseContactInput(raw, { creating: true })).toThrow(/quiet hours/);
    expect(() => readContactForm(form([["kind", "<script>"], ["channelScope", "???"], ["language", "xx"]]))).not.toThrow();
    expect(fieldErrorKey("webhookUrl", "refused.metadata")).toBe("webhookRefused");
  });
});
