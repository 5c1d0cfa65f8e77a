import { matchesStateFilter, type ChannelListQuery } from "@/lib/channels/channel-list-query";
import { SEVERITY } from "@/lib/db/channel-health";
import { uptimeRatio } from "@/lib/format/uptime";
import type { ChannelState } from "@/lib/monitor/states";

/** What filtering and ordering read from a channel (lib/db/channel-health.ts's ListedChannel, with its windows to sort by uptime). */
export interface SelectableChannel {
  displayName: string;
  phoneNumber: string | null;
  state: ChannelState;
  since: Date;
  /** Needed only to sort by uptime (read for every channel only then); without it a channel has no figure. */
  uptime30d?: { upSeconds: number; observedSeconds: number };
}

/**
 * Channels per page on /channels. Each row costs ~2 kB of HTML and props and a few milliseconds of
 * rendering (scripts/bench/dashboard-render.ts): at 50 the page sat at 193 kB against the 200 kB
 * budget; 25 keeps a phone's page light and a 1,000-channel tenant's first screen fast.
 */
export const PAGE_SIZE = 25;

function normalise(text: string) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** Name, accents and case aside; the phone only for a query that looks like one ("imovel 01" is a name). */
export function matchesText(channel: Pick<SelectableChannel, "displayName" | "phoneNumber">, query: string): boolean {
  const q = normalise(query.trim());
  if (!q) return true;
  if (normalise(channel.displayName).includes(q)) return true;
  if (!/^[\d\s()+.-]+$/.test(q)) return false;
  const digits = q.replace(/\D/g, "");
  return digits.length > 0 && (channel.phoneNumber ?? "").replace(/\D/g, "").includes(digits);
}

// One collator for every comparison: localeCompare(…, "pt-BR") builds one per call, twice the cost of sorting 1,000 rows.
const collator = new Intl.Collator("pt-BR");
const byName = (a: SelectableChannel, b: SelectableChannel) => collator.compare(a.displayName, b.displayName);

/**
 * The query's order. Ties go worst first, then by name, whatever the direction, so a page boundary never
 * depends on the database's row order. A channel with no uptime figure (too little observed) goes last
 * in both directions: "no data" is neither the best nor the worst.
 */
export function sortChannels<T extends SelectableChannel>(rows: readonly T[], query: Pick<ChannelListQuery, "sort" | "dir">): T[] {
  const sign = query.dir === "asc" ? 1 : -1;
  const keyed = rows.map((row) => ({ row, ratio: row.uptime30d ? uptimeRatio(row.uptime30d) : null }));
  type Keyed = (typeof keyed)[number];
  const primary = (a: Keyed, b: Keyed): number => {
    switch (query.sort) {
      case "severity": return SEVERITY[a.row.state] - SEVERITY[b.row.state];
      case "name": return byName(a.row, b.row);
      case "change": return a.row.since.getTime() - b.row.since.getTime();
      case "uptime": return (a.ratio ?? 0) - (b.ratio ?? 0);
    }
  };
  const noData = (x: Keyed) => (query.sort === "uptime" && x.ratio === null ? 1 : 0);
  return keyed
    .sort((a, b) => noData(a) - noData(b) || sign * primary(a, b) || SEVERITY[a.row.state] - SEVERITY[b.row.state] || byName(a.row, b.row))
    .map(({ row }) => row);
}

export function filterChannels<T extends SelectableChannel>(rows: readonly T[], query: Pick<ChannelListQuery, "state" | "q">): T[] {
  return rows.filter((row) => matchesStateFilter(row.state, query.state) && matchesText(row, query.q));
}

export interface ChannelSelection<T> {
  /** This page's channels, in order. */
  rows: T[];
  /** Channels that match the filter and search, on every page. */
  matched: number;
  /** The page shown (the query's, or the last when it asked for one past it) and how many there are (≥ 1). */
  page: number;
  pages: number;
  /** Every channel of the tenant per state, filter or not, worst state first. */
  counts: [ChannelState, number][];
}

export function selectChannels<T extends SelectableChannel>(rows: readonly T[], query: ChannelListQuery, pageSize = PAGE_SIZE): ChannelSelection<T> {
  const matched = sortChannels(filterChannels(rows, query), query);
  const pages = Math.max(1, Math.ceil(matched.length / pageSize));
  const page = Math.min(query.page, pages);
  const byState = new Map<ChannelState, number>();
  for (const row of rows) byState.set(row.state, (byState.get(row.state) ?? 0) + 1);
  return {
    rows: matched.slice((page - 1) * pageSize, page * pageSize),
    matched: matched.length,
    page,
    pages,
    counts: [...byState.entries()].sort(([a], [b]) => SEVERITY[a] - SEVERITY[b]),
  };
}
