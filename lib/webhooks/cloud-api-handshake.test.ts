import { describe, expect, it } from "vitest";
import { handleCloudApiHandshake } from "@/lib/webhooks/cloud-api-request";
import { cloudApiCallbackUrl, cloudApiVerifyToken, verifyTokenMatches } from "@/lib/webhooks/cloud-api-verify-token";

/** Meta's handshake for a Cloud API channel's callback URL, without a database: the verify token is derived. */

const KEY = Buffer.alloc(32, 7).toString("base64");
const OTHER_KEY = Buffer.alloc(32, 8).toString("base64");
const CHANNEL = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

const handshake = (query: Record<string, string>, channelId = CHANNEL) =>
  handleCloudApiHandshake(new Request(`https://sentinela.example/api/webhooks/cloud-api/${channelId}?${new URLSearchParams(query)}`), channelId, () => KEY);

describe("the Cloud API verify token", () => {
  it("is the channel's own, under the deployment's key, and matches only itself", () => {
    const token = cloudApiVerifyToken(CHANNEL, KEY);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(cloudApiVerifyToken(CHANNEL.toUpperCase(), KEY)).toBe(token);
    expect(cloudApiVerifyToken("00000000-0000-4000-8000-000000000000", KEY)).not.toBe(token);
    expect(cloudApiVerifyToken(CHANNEL, OTHER_KEY)).not.toBe(token);
    expect(verifyTokenMatches(token, CHANNEL, KEY)).toBe(true);
    for (const presented of [null, "", token.slice(1), `${token} `]) expect(verifyTokenMatches(presented, CHANNEL, KEY)).toBe(false);
    expect(cloudApiCallbackUrl("https://sentinela.example/", CHANNEL)).toBe(`https://sentinela.example/api/webhooks/cloud-api/${CHANNEL}`);
  });
});

describe("handleCloudApiHandshake", () => {
  const token = cloudApiVerifyToken(CHANNEL, KEY);

  it("echoes the challenge as plain text, nothing else, for the right token", async () => {
    const response = handshake({ "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "<b>1158201444</b>" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toBe("<b>1158201444</b>");
  });

  it("a wrong token, another channel's, or a channel id that is no UUID: 403", () => {
    expect(handshake({ "hub.mode": "subscribe", "hub.verify_token": `${token}x`, "hub.challenge": "1" }).status).toBe(403);
    const other = cloudApiVerifyToken("00000000-0000-4000-8000-000000000000", KEY);
    expect(handshake({ "hub.mode": "subscribe", "hub.verify_token": other, "hub.challenge": "1" }).status).toBe(403);
    expect(handshake({ "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1" }, "not-a-uuid").status).toBe(403);
  });

  it("not a subscription handshake, or a challenge that is none (missing, empty, too long): 400", () => {
    const queries: Record<string, string>[] = [
      { "hub.verify_token": token, "hub.challenge": "1" },
      { "hub.mode": "unsubscribe", "hub.verify_token": token, "hub.challenge": "1" },
      { "hub.mode": "subscribe", "hub.verify_token": token },
      { "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "" },
      { "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "9".repeat(201) },
    ];
    for (const query of queries) {
      expect(handshake(query).status).toBe(400);
    }
  });
});
