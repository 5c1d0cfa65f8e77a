import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateSigningSecret, signWebhookBody, verifyWebhookSignature } from "@/lib/alerts/webhook-signature";

const NOW = new Date("2026-03-07T12:00:00Z");
const SECRET = "whsec_test";
const BODY = '{"id":"42","type":"incident.opened"}';

describe("alert webhook signature", () => {
  it("is t=<unix>,v1=<hex HMAC-SHA256 of 't.body'> as the README documents", () => {
    const header = signWebhookBody(SECRET, BODY, NOW);
    const t = Math.floor(NOW.getTime() / 1000);
    const expected = createHmac("sha256", SECRET).update(`${t}.${BODY}`).digest("hex");
    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(verifyWebhookSignature(SECRET, BODY, header, NOW)).toEqual({ valid: true, timestamp: t });
  });

  it("refuses another secret, a changed body and a changed timestamp", () => {
    const header = signWebhookBody(SECRET, BODY, NOW);
    expect(verifyWebhookSignature("whsec_other", BODY, header, NOW)).toEqual({ valid: false, reason: "mismatch" });
    expect(verifyWebhookSignature(SECRET, BODY.replace("42", "43"), header, NOW)).toEqual({ valid: false, reason: "mismatch" });
    const moved = header.replace(/^t=(\d+)/, (_, t) => `t=${Number(t) + 1}`);
    expect(verifyWebhookSignature(SECRET, BODY, moved, NOW)).toEqual({ valid: false, reason: "mismatch" });
  });

  it("a replay of an old, correctly signed request is rejectable by its timestamp", () => {
    const old = signWebhookBody(SECRET, BODY, new Date(NOW.getTime() - 301_000));
    expect(verifyWebhookSignature(SECRET, BODY, old, NOW)).toEqual({ valid: false, reason: "too_old" });
    expect(verifyWebhookSignature(SECRET, BODY, old, NOW, 600).valid).toBe(true);
    const future = signWebhookBody(SECRET, BODY, new Date(NOW.getTime() + 301_000));
    expect(verifyWebhookSignature(SECRET, BODY, future, NOW)).toEqual({ valid: false, reason: "in_future" });
  });

  it("refuses malformed headers", () => {
    for (const header of [null, "", "v1=abc", "t=x,v1=00", "t=1,t=2,v1=00", "garbage"]) {
      expect(verifyWebhookSignature(SECRET, BODY, header, NOW).valid).toBe(false);
    }
  });

  it("secrets are long and distinct", () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateSigningSecret()).not.toBe(a);
  });
});
