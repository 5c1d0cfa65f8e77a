import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PAGE_LIMIT, startCloudApiSimulator, type CloudApiSimulator } from "./server";

/** The simulator's listing: GET /{waba-id}/phone_numbers with Graph's cursor paging, as server.ts describes it. */

interface Page {
  data: Record<string, unknown>[];
  paging?: { cursors: { before: string; after: string }; next?: string };
}

let sim: CloudApiSimulator;
const WABA = "420000000000001";
beforeAll(async () => {
  sim = await startCloudApiSimulator();
  for (let i = 1; i <= 5; i++) sim.addNumber({ id: `70${i}`, token: "T-list", wabaId: WABA, displayPhoneNumber: `+55 11 9000${i}-0000`, verifiedName: `Loja ${i}` });
  sim.addNumber({ id: "800", token: "T-other", wabaId: "420000000000002" });
});
afterAll(async () => {
  await sim.stop();
});

const list = async (query: string, token = "T-list", waba = WABA) => {
  const response = await fetch(`${sim.url}/v23.0/${waba}/phone_numbers${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Page & { error?: { code: number } } };
};

describe("a WABA's phone numbers", () => {
  it("pages by `limit` with before/after cursors, and `next` only while more follow", async () => {
    const first = await list("?fields=id,display_phone_number,verified_name,status&limit=2");
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual([
      { id: "701", display_phone_number: "+55 11 90001-0000", verified_name: "Loja 1", status: "CONNECTED" },
      { id: "702", display_phone_number: "+55 11 90002-0000", verified_name: "Loja 2", status: "CONNECTED" },
    ]);
    const next = new URL(first.body.paging!.next!);
    expect(next.origin).toBe("https://graph.facebook.com");
    expect(next.searchParams.get("after")).toBe(first.body.paging!.cursors.after);
    const second = await list(`?limit=2&fields=id&after=${first.body.paging!.cursors.after}`);
    expect(second.body.data).toEqual([{ id: "703" }, { id: "704" }]);
    const last = await list(`?limit=2&fields=id&after=${second.body.paging!.cursors.after}`);
    expect(last.body.data).toEqual([{ id: "705" }]);
    expect(last.body.paging!.next).toBeUndefined();
    expect(last.body.paging!.cursors.after).toBeTruthy();
  });

  it("answers 25 a page by default, only the account's numbers, and Graph's default fields without `fields`", async () => {
    expect(DEFAULT_PAGE_LIMIT).toBe(25);
    const all = await list("");
    expect(all.body.data.map((n) => n.id)).toEqual(["701", "702", "703", "704", "705"]);
    expect(all.body.data[0]).toMatchObject({ verified_name: "Loja 1", quality_rating: "GREEN", code_verification_status: "VERIFIED" });
    expect(all.body.paging!.next).toBeUndefined();
  });

  it("an account the token cannot read is code 100; an unknown token 190; a cursor it never gave is 400", async () => {
    expect(await list("", "T-other")).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    expect(await list("", "T-list", "420000000000002")).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    expect(await list("", "nope")).toMatchObject({ status: 401, body: { error: { code: 190 } } });
    expect((await list("?after=bm90LWEtY3Vyc29y")).status).toBe(400);
  });

  it("counts the pages it answered, and plays the awkward listings", async () => {
    const before = sim.listingCalls(WABA);
    await list("");
    expect(sim.listingCalls(WABA)).toBe(before + 1);
    sim.setListingScenario(WABA, "endless");
    const endless = await list("?limit=2&after=" + (await list("?limit=2")).body.paging!.cursors.after);
    expect(endless.body.data.map((n) => n.id)).toEqual(["701", "702"]);
    expect(endless.body.paging!.next).toBeDefined();
    sim.setListingScenario(WABA, "error_200");
    expect(await list("")).toMatchObject({ status: 200, body: { error: { code: 2 } } });
    sim.setListingScenario(WABA, "normal");
  });
});
