import { describe, expect, it } from "vitest";
import { signHubBody, verifyHubSignature } from "@/lib/webhooks/hub-signature";

const SECRET = "app-secret-1234";
const BODY = Buffer.from('{"object":"whatsapp_business_account","entry":[{"id":"300000000000003","changes":[]}]}');

describe("X-Hub-Signature-256", () => {
  it("accepts Meta's signature of the raw body, in either hex case", () => {
    const header = signHubBody(BODY, SECRET);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyHubSignature(BODY, header, SECRET)).toBe(true);
    expect(verifyHubSignature(BODY, `sha256=${header.slice(7).toUpperCase()}`, SECRET)).toBe(true);
  });

  it("refuses another body, another secret, a re-serialised body and malformed headers", () => {
    const header = signHubBody(BODY, SECRET);
    expect(verifyHubSignature(Buffer.from(BODY.toString().replace("[]", "[ ]")), header, SECRET)).toBe(false);
    expect(verifyHubSignature(BODY, header, "another-secret")).toBe(false);
    expect(verifyHubSignature(JSON.stringify(JSON.parse(BODY.toString()), null, 1), header, SECRET)).toBe(false);
    for (const bad of [null, "", "sha256=", header.slice(7), `sha1=${header.slice(7)}`, `${header}00`, "sha256=" + "z".repeat(64)]) {
      expect(verifyHubSignature(BODY, bad, SECRET), String(bad)).toBe(false);
    }
  });

  it("never matches with an empty app secret, even a signature made with one", () => {
    expect(verifyHubSignature(BODY, signHubBody(BODY, ""), "")).toBe(false);
  });
});
