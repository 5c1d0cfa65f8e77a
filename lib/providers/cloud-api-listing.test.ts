import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudApiSimulator, type CloudApiSimulator } from "@/dev/cloud-api-simulator/server";
import {
  createCloudApiProvider,
  e164OfDisplayNumber,
  instanceOfListedNumber,
  nextCursor,
  PHONE_NUMBERS_PAGE_LIMIT,
} from "@/lib/providers/cloud-api";
import { ProviderError, type GatewayTarget } from "@/lib/providers/types";

/**
 * The Cloud API's listing (an import): a WhatsApp Business Account's phone numbers, page after page
 * (GET /{waba-id}/phone_numbers, Graph's cursor paging), read from data and from the simulator.
 */

const provider = createCloudApiProvider({ timeoutMs: 2000 });
const listInstances = provider.listInstances!;

describe("reading a listing's fields", () => {
  it("a display number becomes E.164 whatever Graph's spacing; anything else is no phone", () => {
    expect(e164OfDisplayNumber("+55 11 90000-0000")).toBe("+5511900000000");
    expect(e164OfDisplayNumber("15550783881")).toBe("+15550783881");
    expect(e164OfDisplayNumber("+1 (631) 555-5555")).toBe("+16315555555");
    for (const bad of [undefined, "", "+55", "0800 123 4567", "+55 11 9abc-0000", "1".repeat(16)]) {
      expect(e164OfDisplayNumber(bad)).toBeNull();
    }
  });

  it("a listed number is an instance named by its id, with its business name; the listing is no health read", () => {
    expect(instanceOfListedNumber({ id: "1065", display_phone_number: "+55 12 99123-0001", verified_name: "Pousada", status: "CONNECTED" }))
      .toEqual({ name: "1065", phone: "+5512991230001", connectionStatus: "open", profileName: "Pousada" });
    expect(instanceOfListedNumber({ id: "1066", status: "FLAGGED" }).connectionStatus).toBe("open");
    expect(instanceOfListedNumber({ id: "1067", status: "DISCONNECTED" }).connectionStatus).toBe("close");
    expect(instanceOfListedNumber({ id: "1068" })).toEqual({ name: "1068", phone: null, connectionStatus: "unknown", profileName: null });
  });

  it("a page is the last unless Graph says `next`; the next page is asked by its `after` cursor", () => {
    expect(nextCursor({ data: [] })).toBeNull();
    expect(nextCursor({ data: [], paging: { cursors: { before: "b", after: "a" } } })).toBeNull();
    expect(nextCursor({ data: [], paging: { cursors: { after: "a" }, next: "https://graph.facebook.com/…&after=a" } })).toBe("a");
    expect(nextCursor({ data: [], paging: { next: "https://graph.facebook.com/…" } })).toBeNull();
  });
});

describe("listing a WABA on the simulator", () => {
  let sim: CloudApiSimulator;
  const WABA = "410000000000001";
  const OTHER_WABA = "410000000000002";
  const TOKEN = "EAAG-listing-token-0001";
  const target = (over: Partial<GatewayTarget> = {}): GatewayTarget => ({ baseUrl: `${sim.url}/v23.0`, apiKey: TOKEN, wabaId: WABA, ...over });

  beforeAll(async () => {
    sim = await startCloudApiSimulator();
    // More than two pages of the adapter's limit, and another account's numbers beside them.
    for (let i = 0; i < PHONE_NUMBERS_PAGE_LIMIT * 2 + 30; i++) {
      sim.addNumber({
        id: `5${String(i).padStart(14, "0")}`, token: TOKEN, wabaId: WABA,
        displayPhoneNumber: `+55 12 9${String(i).padStart(4, "0")}-0001`, verifiedName: "Pousada Mar Azul",
        scenario: i === 3 ? "number_disconnected" : "healthy",
      });
    }
    sim.addNumber({ id: "6000", token: "EAAG-other-token-0002", wabaId: OTHER_WABA });
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("reads every page, once each, and only the account's numbers", async () => {
    const before = sim.listingCalls(WABA);
    const listed = await listInstances(target());
    expect(sim.listingCalls(WABA) - before).toBe(3);
    expect(listed).toHaveLength(PHONE_NUMBERS_PAGE_LIMIT * 2 + 30);
    expect(new Set(listed.map((n) => n.name)).size).toBe(listed.length);
    expect(listed.map((n) => n.name)).not.toContain("6000");
    expect(listed[0]).toEqual({ name: "500000000000000", phone: "+5512900000001", connectionStatus: "open", profileName: "Pousada Mar Azul" });
    expect(listed[3].connectionStatus).toBe("close");
  });

  it("takes a bare origin too (the version this adapter follows is added)", async () => {
    expect(await listInstances(target({ baseUrl: sim.url }))).toHaveLength(PHONE_NUMBERS_PAGE_LIMIT * 2 + 30);
  });

  it("without a WABA id nothing is asked of Graph", async () => {
    const before = sim.listingCalls(WABA);
    for (const wabaId of [undefined, "", "not-digits"]) {
      const error = await listInstances(target({ wabaId })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: "misconfigured", message: expect.stringContaining("WhatsApp Business Account id") });
    }
    expect(sim.listingCalls(WABA)).toBe(before);
  });

  it("a token Graph refuses is misconfigured (190); an account the token cannot read is an unknown account (100)", async () => {
    const refused = (await listInstances(target({ apiKey: "EAAG-nobody-knows-it" })).catch((e: unknown) => e)) as ProviderError;
    expect(refused).toMatchObject({ kind: "misconfigured", message: expect.stringContaining("code 190") });
    expect(refused.detail.notFound).toBeUndefined();
    const elsewhere = (await listInstances(target({ wabaId: OTHER_WABA })).catch((e: unknown) => e)) as ProviderError;
    expect(elsewhere).toMatchObject({ kind: "misconfigured", message: expect.stringContaining("WhatsApp Business Account id (code 100)") });
    expect(elsewhere.detail.notFound).toBe(true);
    expect(`${refused.message} ${elsewhere.message}`).not.toContain(TOKEN);
  });

  it("a listing that never ends, an HTML page, garbage and a 200 with an error are failures, never a partial list", async () => {
    const expectations = [
      ["endless", "invalid_response"],
      ["html_error", "provider_down"],
      ["garbage", "invalid_response"],
      ["error_200", "rejected"],
    ] as const;
    for (const [scenario, kind] of expectations) {
      sim.setListingScenario(WABA, scenario);
      const error = await listInstances(target()).catch((e: unknown) => e);
      expect(error, scenario).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind, scenario).toBe(kind);
    }
    sim.setListingScenario(WABA, "normal");
  });
});

describe("following Graph's paging safely", () => {
  it("asks the next page of the base URL it was given, never the host Graph's `next` names, and stops at the last page", async () => {
    const asked: string[] = [];
    const pages = [
      { data: [{ id: "1" }, { id: "2" }], paging: { cursors: { before: "x", after: "c1" }, next: "https://evil.example/v23.0/9/phone_numbers?after=c1" } },
      // Graph may repeat an item across pages: listed once.
      { data: [{ id: "2" }, { id: "3" }], paging: { cursors: { before: "c1", after: "c2" } } },
    ];
    const stub: typeof fetch = async (input) => {
      asked.push(String(input instanceof Request ? input.url : input));
      return new Response(JSON.stringify(pages[asked.length - 1]), { status: 200, headers: { "content-type": "application/json" } });
    };
    const stubbed = createCloudApiProvider({ timeoutMs: 1000, fetch: stub });
    const listed = await stubbed.listInstances!({ baseUrl: "http://127.0.0.1:9/v23.0", apiKey: "EAAG-token-123", wabaId: "9" });
    expect(listed.map((n) => n.name)).toEqual(["1", "2", "3"]);
    expect(asked).toHaveLength(2);
    for (const url of asked) expect(url.startsWith("http://127.0.0.1:9/v23.0/9/phone_numbers?")).toBe(true);
    expect(new URL(asked[0]).searchParams.get("after")).toBeNull();
    expect(new URL(asked[1]).searchParams.get("after")).toBe("c1");
    expect(new URL(asked[0]).searchParams.get("fields")).toBe("id,display_phone_number,verified_name,status,quality_rating");
  });
});
