import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import ptBR from "@/messages/pt-BR.json";
import { validateChannelForm } from "@/lib/channels/channel-form";
import { channelInputSchema } from "@/lib/channels/channel-input";

const VALID = {
  tenantId: "00000000-0000-4000-8000-000000000001",
  provider: "evolution",
  gatewayUrl: "https://evolution.example.com",
  instanceName: "recepcao-centro",
  apiKey: "a-long-enough-key",
  displayName: "Recepção Centro",
  phoneNumber: "+5512991230001",
};
const FORM = {
  provider: VALID.provider,
  gatewayUrl: VALID.gatewayUrl,
  instanceName: VALID.instanceName,
  apiKey: VALID.apiKey,
  displayName: VALID.displayName,
  phoneNumber: VALID.phoneNumber,
};

describe("channel input: names are plain text", () => {
  it("accepts an ordinary channel", () => {
    expect(channelInputSchema.safeParse(VALID).success).toBe(true);
  });

  it.each([
    ["displayName", "Recepção\u0000Centro"],
    ["displayName", "Pagamentos \u202Egnp.exe"],
    ["displayName", "Centro\u2066x\u2069"],
    ["instanceName", "recepcao\u0000centro"],
    ["instanceName", "recepcao\u202Ecentro"],
    ["instanceName", "recepcao\u200Fcentro"],
    ["apiKey", "a-long-enough\u0000key"],
  ])("refuses %s %j with a message that says why (CLI) and a message key (form)", (field, value) => {
    const parsed = channelInputSchema.safeParse({ ...VALID, [field]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toMatch(/cannot contain control or bidirectional-override characters/);

    const form = validateChannelForm({ ...FORM, [field]: value }, "create");
    expect(form).toEqual({ ok: false, errors: { [field]: `${field}.invalidCharacters` } });
  });

  it("has the form's message in every language", () => {
    for (const messages of [en, ptBR]) {
      const errors = messages.manage.errors as Record<string, Record<string, string>>;
      for (const field of ["displayName", "instanceName", "apiKey"]) {
        expect(errors[field].invalidCharacters, field).toMatch(/\S/);
      }
    }
  });
});
