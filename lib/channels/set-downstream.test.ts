import { describe, expect, it } from "vitest";
import { DownstreamEditError, parseHeaderLines, resolveDownstreamEdit } from "@/lib/channels/set-downstream";
import { encryptSecret, generateSecretKey } from "@/lib/crypto/secret-box";
import { openDownstream } from "@/lib/db/downstream";
import {
  eventUrlSuffix,
  forwardUrl,
  MASK,
  maskedUrl,
  parseHeaderArgument,
  wantsEvent,
  type Downstream,
} from "@/lib/webhooks/downstream";

const current: Downstream = {
  url: "https://platform.example/hook?token=abc&tenant=7",
  headers: { "X-Platform-Key": "k-123" },
  events: ["MESSAGES_UPSERT"],
  byEvents: true,
  base64: false,
};

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DownstreamEditError) return { field: error.field, key: error.key };
    throw error;
  }
  throw new Error("no error");
};

describe("editing a downstream with write-only secrets", () => {
  it("keeps what is stored when the masked values come back unchanged", () => {
    expect(maskedUrl(current.url)).toBe(`https://platform.example/hook?token=${MASK}&tenant=${MASK}`);
    const kept = resolveDownstreamEdit(current, { url: maskedUrl(current.url), headers: { "X-Platform-Key": MASK } });
    expect(kept).toEqual(current);
    expect(resolveDownstreamEdit(current, { mode: "manage" })).toBeUndefined();
  });

  it("keeps the headers on the same origin, drops them for a new origin, and refuses •••• there", () => {
    expect(resolveDownstreamEdit(current, { url: "https://platform.example/v2/hook?token=new" })).toMatchObject({
      url: "https://platform.example/v2/hook?token=new", headers: { "X-Platform-Key": "k-123" }, byEvents: true,
    });
    expect(resolveDownstreamEdit(current, { url: "https://other.example/hook?token=x" })?.headers).toEqual({});
    expect(errorOf(() => resolveDownstreamEdit(current, { url: "https://other.example/hook", headers: { "X-Platform-Key": MASK } })))
      .toEqual({ field: "downstreamHeaders", key: "downstreamHeaders.retypeSecrets" });
    expect(resolveDownstreamEdit(current, { url: "https://other.example/hook", headers: { "X-Other": "v" } })?.headers).toEqual({ "X-Other": "v" });
  });

  it("refuses a typed URL that still holds •••• or is not http(s), and headers without a URL", () => {
    expect(errorOf(() => resolveDownstreamEdit(current, { url: `https://platform.example/hook?token=${MASK}x` })))
      .toEqual({ field: "downstreamUrl", key: "downstreamUrl.retypeSecrets" });
    expect(errorOf(() => resolveDownstreamEdit(null, { url: "ftp://platform.example/hook" })))
      .toEqual({ field: "downstreamUrl", key: "downstreamUrl.invalid" });
    expect(errorOf(() => resolveDownstreamEdit(null, { url: "https://user:pw@platform.example/hook" })))
      .toEqual({ field: "downstreamUrl", key: "downstreamUrl.invalid" });
    expect(errorOf(() => resolveDownstreamEdit(null, { headers: { "X-A": "b" } })))
      .toEqual({ field: "downstreamUrl", key: "downstreamUrl.required" });
    expect(errorOf(() => resolveDownstreamEdit(null, { mode: "sometimes" as never }))).toEqual({ field: "webhookMode", key: "webhookMode.invalid" });
  });

  it("removes with an empty URL, and an empty URL without a downstream changes nothing", () => {
    expect(resolveDownstreamEdit(current, { url: "" })).toBeNull();
    expect(resolveDownstreamEdit(null, { url: "" })).toBeUndefined();
  });

  it("reads header lines and K=V arguments, refusing what cannot be sent", () => {
    expect(parseHeaderLines("X-A: 1\n\nAuthorization: Bearer a:b\n")).toEqual({ "X-A": "1", Authorization: "Bearer a:b" });
    expect(() => parseHeaderLines("no colon")).toThrow(DownstreamEditError);
    expect(errorOf(() => resolveDownstreamEdit(null, { url: "https://p.example/h", headers: { Host: "evil" } })))
      .toEqual({ field: "downstreamHeaders", key: "downstreamHeaders.invalid" });
    expect(parseHeaderArgument("X-Token=a=b")).toEqual({ name: "X-Token", value: "a=b" });
    expect(() => parseHeaderArgument("=x")).toThrow(/NAME=VALUE/);
    expect(() => parseHeaderArgument("Bad Name=x")).toThrow(/not a valid HTTP header name/);
  });
});

describe("forwarding as the gateway would", () => {
  it("names per-event URLs as Evolution does and appends them by plain concatenation", () => {
    expect(eventUrlSuffix("messages.upsert")).toBe("messages-upsert");
    expect(eventUrlSuffix("CONNECTION_UPDATE")).toBe("connection-update");
    expect(forwardUrl(current, "messages-upsert")).toBe("https://platform.example/hook?token=abc&tenant=7/messages-upsert");
    expect(forwardUrl({ ...current, byEvents: false }, "messages-upsert")).toBe(current.url);
  });

  it("forwards only the events the platform subscribed to (all when it named none)", () => {
    expect(wantsEvent(current, "messages.upsert")).toBe(true);
    expect(wantsEvent(current, "connection.update")).toBe(false);
    expect(wantsEvent({ events: [] }, "connection.update")).toBe(true);
  });

  it("uses a sealed URL only for the plain column's origin", () => {
    const key = generateSecretKey();
    const row = {
      plainUrl: "https://platform.example/hook", events: [], byEvents: false, base64: false,
      urlCiphertext: encryptSecret(current.url, key), headersCiphertext: encryptSecret(JSON.stringify(current.headers), key),
    };
    expect(openDownstream(row, key)).toMatchObject({ url: current.url, headers: current.headers });
    expect(openDownstream({ ...row, plainUrl: "https://attacker.example/hook" }, key)).toMatchObject({
      url: "https://attacker.example/hook", headers: {},
    });
    expect(openDownstream({ ...row, plainUrl: null }, key)).toBeNull();
  });
});
