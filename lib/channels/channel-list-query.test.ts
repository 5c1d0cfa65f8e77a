import { describe, expect, it } from "vitest";
import {
  DEFAULT_QUERY, changeQuery, channelListSearch, isFiltered, matchesStateFilter, readChannelListQuery, sortedBy, toSearchParams,
  type ChannelListQuery,
} from "@/lib/channels/channel-list-query";

const read = (search: string) => readChannelListQuery(new URLSearchParams(search));

describe("readChannelListQuery", () => {
  it("reads every part of the view from the URL", () => {
    expect(read("state=needs_qr&q=%20Praia%20&sort=name&dir=desc&page=3")).toEqual({
      state: "needs_qr", q: "Praia", sort: "name", dir: "desc", page: 3,
    });
    expect(read("state=attention").state).toBe("attention");
    expect(read("state=problems").state).toBe("problems");
  });

  it("gives each column its own starting direction when the URL names none", () => {
    expect(read("sort=change")).toMatchObject({ sort: "change", dir: "desc" });
    expect(read("sort=uptime")).toMatchObject({ sort: "uptime", dir: "asc" });
    expect(read("")).toEqual(DEFAULT_QUERY);
  });

  it("falls back to the default for anything it cannot read, never failing", () => {
    expect(read("state=hacked&sort=drop%20table&dir=sideways&page=-2")).toEqual(DEFAULT_QUERY);
    expect(read("state=toString&page=1.5").state).toBeNull();
    expect(read("page=1e400").page).toBe(1);
    expect(read(`q=${"x".repeat(500)}`).q).toHaveLength(100);
  });
});

describe("channelListSearch", () => {
  it("leaves defaults out, so the plain list is /channels", () => {
    expect(channelListSearch(DEFAULT_QUERY)).toBe("");
    expect(channelListSearch({ ...DEFAULT_QUERY, sort: "change", dir: "desc" })).toBe("?sort=change");
    expect(channelListSearch({ ...DEFAULT_QUERY, dir: "desc" })).toBe("?dir=desc");
  });

  it("round-trips through the URL, page included unless left out", () => {
    const query: ChannelListQuery = { state: "needs_qr", q: "Recepção & Cia", sort: "name", dir: "asc", page: 2 };
    const search = channelListSearch(query);
    expect(search).toBe("?state=needs_qr&q=Recep%C3%A7%C3%A3o+%26+Cia&sort=name&page=2");
    expect(read(search.slice(1))).toEqual(query);
    expect(channelListSearch(query, { page: false })).toBe("?state=needs_qr&q=Recep%C3%A7%C3%A3o+%26+Cia&sort=name");
  });
});

describe("changing the view", () => {
  const on3 = { ...DEFAULT_QUERY, page: 3 };

  it("starts again from page 1 on any new filter, search or order", () => {
    expect(changeQuery(on3, { state: "connected" })).toMatchObject({ state: "connected", page: 1 });
  });

  it("sorts a column in its own direction first, and the other way when it is already in force", () => {
    expect(sortedBy(on3, "name")).toMatchObject({ sort: "name", dir: "asc", page: 1 });
    expect(sortedBy({ ...on3, sort: "name", dir: "asc" }, "name")).toMatchObject({ sort: "name", dir: "desc" });
    expect(sortedBy({ ...on3, sort: "name", dir: "desc" }, "name")).toMatchObject({ sort: "name", dir: "asc" });
    expect(sortedBy({ ...on3, sort: "name", dir: "desc" }, "change")).toMatchObject({ sort: "change", dir: "desc" });
  });

  it("counts only a state or a search as a filter", () => {
    expect(isFiltered({ ...DEFAULT_QUERY, sort: "name", page: 4 })).toBe(false);
    expect(isFiltered({ ...DEFAULT_QUERY, q: "x" })).toBe(true);
    expect(isFiltered({ ...DEFAULT_QUERY, state: "paused" })).toBe(true);
  });
});

describe("matchesStateFilter", () => {
  it("matches a state, or a group of them", () => {
    expect(matchesStateFilter("needs_qr", null)).toBe(true);
    expect(matchesStateFilter("needs_qr", "needs_qr")).toBe(true);
    expect(matchesStateFilter("connected", "needs_qr")).toBe(false);
    expect(["needs_qr", "replaced", "misconfigured"].every((s) => matchesStateFilter(s as "needs_qr", "attention"))).toBe(true);
    expect(matchesStateFilter("disconnected", "attention")).toBe(false);
    expect(matchesStateFilter("disconnected", "problems")).toBe(true);
    expect(matchesStateFilter("connecting", "problems")).toBe(true);
    for (const calm of ["connected", "paused", "unknown"] as const) expect(matchesStateFilter(calm, "problems")).toBe(false);
  });
});

describe("toSearchParams", () => {
  it("takes Next's searchParams record, first value of a repeated key", () => {
    expect(toSearchParams({ state: ["needs_qr", "connected"], q: "a", page: undefined }).toString()).toBe("state=needs_qr&q=a");
  });
});
