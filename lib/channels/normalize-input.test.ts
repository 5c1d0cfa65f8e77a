import { describe, expect, it } from "vitest";
import { readChannelForm, validateChannelForm } from "@/lib/channels/channel-form";
import { normalizeGatewayUrl, normalizePhone } from "@/lib/channels/normalize-input";

describe("normalizePhone", () => {
  it.each([
    ["(12) 99123-0004", "+5512991230004"],
    ["12 99123-0004", "+5512991230004"],
    ["12991230004", "+5512991230004"],
    ["(12) 3456-7890", "+551234567890"],
    ["012 99123-0004", "+5512991230004"],
    ["+55 12 99123-0004", "+5512991230004"],
    ["+55 (12) 99123-0004", "+5512991230004"],
    ["5512991230004", "+5512991230004"],
    ["55 12 99123 0004", "+5512991230004"],
    ["0055 12 99123-0004", "+5512991230004"],
    ["+5512991230004", "+5512991230004"],
    ["+1 415 555 0100", "+14155550100"],
  ])("%s → %s", (typed, expected) => {
    expect(normalizePhone(typed)).toBe(expected);
  });

  it("uses the tenant's calling code for a national number", () => {
    expect(normalizePhone("(415) 555-0100", "1")).toBe("+14155550100");
  });

  it.each(["abc", "12 99123-0004 ramal 2", "+55 12 99123-0004; drop", ""])("leaves %j for the schema to refuse", (typed) => {
    expect(normalizePhone(typed)).toBe(typed.trim());
  });
});

describe("normalizeGatewayUrl", () => {
  it.each([
    ["evolution.example.com", "https://evolution.example.com"],
    ["  evolution.example.com/ ", "https://evolution.example.com/"],
    ["evolution.example.com:8443/api", "https://evolution.example.com:8443/api"],
    ["localhost:8080", "https://localhost:8080"],
    ["http://evolution.example.com", "http://evolution.example.com"],
    ["https://evolution.example.com", "https://evolution.example.com"],
    ["ftp://evolution.example.com", "ftp://evolution.example.com"],
  ])("%s → %s", (typed, expected) => {
    expect(normalizeGatewayUrl(typed)).toBe(expected);
  });

  it.each(["not a url", "user@evolution.example.com", "", "javascript:alert(1)"])("leaves %j as typed", (typed) => {
    expect(normalizeGatewayUrl(typed)).toBe(typed);
  });
});

describe("the channel form normalizes before validating", () => {
  function submit(fields: Record<string, string>) {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.set(name, value);
    return validateChannelForm(readChannelForm(data), "create");
  }
  const base = { instanceName: "pousada-1", apiKey: "a-long-enough-key", displayName: "Recepção" };

  it("accepts a national phone number and a bare gateway host, saved canonical", () => {
    const result = submit({ ...base, gatewayUrl: "evolution.example.com/", phoneNumber: "(12) 99123-0004" });
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ gatewayUrl: "https://evolution.example.com", phoneNumber: "+5512991230004" }) });
  });

  it("still refuses what is no phone number or URL", () => {
    const result = submit({ ...base, gatewayUrl: "not a url", phoneNumber: "ramal 12" });
    expect(result).toEqual({ ok: false, errors: { gatewayUrl: "gatewayUrl.invalid", phoneNumber: "phoneNumber.invalid" } });
  });
});
