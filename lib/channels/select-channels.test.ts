import { describe, expect, it } from "vitest";
import { DEFAULT_QUERY, type ChannelListQuery } from "@/lib/channels/channel-list-query";
import { matchesText, selectChannels, sortChannels, type SelectableChannel } from "@/lib/channels/select-channels";
import type { ChannelState } from "@/lib/monitor/states";

const DAY = 86_400;

function channel(displayName: string, state: ChannelState, options: { since?: string; up?: number; observed?: number; phone?: string } = {}) {
  return {
    displayName,
    phoneNumber: options.phone ?? null,
    state,
    since: new Date(options.since ?? "2026-01-01T00:00:00Z"),
    uptime30d: { upSeconds: options.up ?? 0, observedSeconds: options.observed ?? 0 },
  } satisfies SelectableChannel;
}

const names = (rows: readonly SelectableChannel[]) => rows.map((row) => row.displayName);
const query = (change: Partial<ChannelListQuery>): ChannelListQuery => ({ ...DEFAULT_QUERY, ...change });

const FLEET = [
  channel("Casa Itaguá", "needs_qr", { since: "2026-01-03T00:00:00Z", up: 20 * DAY, observed: 30 * DAY }),
  channel("Ateliê", "connected", { since: "2026-01-01T00:00:00Z", up: 30 * DAY, observed: 30 * DAY, phone: "+55 11 99123-0004" }),
  channel("Bangalô", "connected", { since: "2026-01-05T00:00:00Z", up: 29 * DAY, observed: 30 * DAY }),
  channel("Duna", "disconnected", { since: "2026-01-02T00:00:00Z" }),
  channel("Estrela", "paused", { since: "2026-01-04T00:00:00Z", up: 10, observed: 10 }),
];

describe("sortChannels", () => {
  it("puts the worst state first by default, by name within a state", () => {
    expect(names(sortChannels(FLEET, DEFAULT_QUERY))).toEqual(["Casa Itaguá", "Duna", "Estrela", "Ateliê", "Bangalô"]);
  });

  it("sorts by name, accents aside, either way", () => {
    expect(names(sortChannels(FLEET, { sort: "name", dir: "asc" }))).toEqual(["Ateliê", "Bangalô", "Casa Itaguá", "Duna", "Estrela"]);
    expect(names(sortChannels(FLEET, { sort: "name", dir: "desc" }))).toEqual(["Estrela", "Duna", "Casa Itaguá", "Bangalô", "Ateliê"]);
  });

  it("sorts by the last change, most recent first by default", () => {
    expect(names(sortChannels(FLEET, { sort: "change", dir: "desc" }))).toEqual(["Bangalô", "Estrela", "Casa Itaguá", "Duna", "Ateliê"]);
  });

  it("sorts by 30-day uptime, and a channel with too little data goes last whichever way", () => {
    expect(names(sortChannels(FLEET, { sort: "uptime", dir: "asc" }))).toEqual(["Casa Itaguá", "Bangalô", "Ateliê", "Duna", "Estrela"]);
    expect(names(sortChannels(FLEET, { sort: "uptime", dir: "desc" }))).toEqual(["Ateliê", "Bangalô", "Casa Itaguá", "Duna", "Estrela"]);
  });

  it("breaks ties the same way in both directions, so pages never overlap", () => {
    const twins = [channel("B", "connected"), channel("A", "connected"), channel("C", "needs_qr")];
    expect(names(sortChannels(twins, { sort: "change", dir: "asc" }))).toEqual(["C", "A", "B"]);
    expect(names(sortChannels(twins, { sort: "change", dir: "desc" }))).toEqual(["C", "A", "B"]);
  });
});

describe("matchesText", () => {
  it("finds a name without accents or case, and a phone only for a phone-like query", () => {
    expect(matchesText(FLEET[0], "itagua")).toBe(true);
    expect(matchesText(FLEET[1], "99123 0004")).toBe(true);
    expect(matchesText(FLEET[1], "(11) 99123")).toBe(true);
    expect(matchesText(channel("Imóvel 01", "connected", { phone: "+5511" }), "imovel 01")).toBe(true);
    expect(matchesText(FLEET[0], "0004")).toBe(false);
    expect(matchesText(FLEET[0], "  ")).toBe(true);
  });
});

describe("selectChannels", () => {
  it("filters by a state group and text, and still counts every channel per state, worst first", () => {
    const result = selectChannels(FLEET, query({ state: "problems" }));
    expect(names(result.rows)).toEqual(["Casa Itaguá", "Duna"]);
    expect(result.matched).toBe(2);
    expect(result.counts).toEqual([["needs_qr", 1], ["disconnected", 1], ["paused", 1], ["connected", 2]]);
    expect(names(selectChannels(FLEET, query({ state: "connected", q: "bang" })).rows)).toEqual(["Bangalô"]);
  });

  it("cuts pages, and shows the last page for a page past it", () => {
    const many = Array.from({ length: 7 }, (_, i) => channel(`Imóvel ${i + 1}`, "connected"));
    const second = selectChannels(many, query({ sort: "name", page: 2 }), 3);
    expect(names(second.rows)).toEqual(["Imóvel 4", "Imóvel 5", "Imóvel 6"]);
    expect(second).toMatchObject({ page: 2, pages: 3, matched: 7 });
    const past = selectChannels(many, query({ sort: "name", page: 99 }), 3);
    expect(past).toMatchObject({ page: 3, pages: 3 });
    expect(names(past.rows)).toEqual(["Imóvel 7"]);
  });

  it("answers one empty page when nothing matches", () => {
    expect(selectChannels(FLEET, query({ q: "nada" }))).toMatchObject({ rows: [], matched: 0, page: 1, pages: 1 });
  });
});
