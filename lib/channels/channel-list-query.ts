import { CHANNEL_STATES, NEEDS_A_PERSON, healthOf, isChannelState, type ChannelState } from "@/lib/monitor/states";

/**
 * What /channels shows — filter, search, order and page — kept in the URL, so a view survives the
 * page's own refreshes and a reload, can be shared, works without JavaScript (plain links and a GET
 * form), and /channels/export returns exactly the channels it lists. Anything unreadable falls back to
 * the default: a bad link shows the default list, never an error.
 *
 *   /channels?state=needs_qr&q=praia&sort=name&dir=asc&page=2
 */

/** Several states at once, besides any single state. */
export const STATE_GROUPS = {
  /** Not working (down or degraded): everything but connected, paused and never checked. */
  problems: (state: ChannelState) => healthOf(state) === "down" || healthOf(state) === "degraded",
  /** A person must act (scan a QR code, fix the configuration): the monitor will not repair these. */
  attention: (state: ChannelState) => NEEDS_A_PERSON.has(state),
} as const;
export type StateGroup = keyof typeof STATE_GROUPS;
export type StateFilter = ChannelState | StateGroup;

/** `severity`: worst first (lib/db/channel-health.ts's SEVERITY); `uptime`: the 30-day figure; `change`: since the state began. */
export const SORT_KEYS = ["severity", "name", "uptime", "change"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";

/** The direction a column starts in: the worst, the first letter, the most recent change. */
export const DEFAULT_DIR: Record<SortKey, SortDir> = { severity: "asc", name: "asc", uptime: "asc", change: "desc" };

export interface ChannelListQuery {
  state: StateFilter | null;
  /** Name, or phone when it looks like one; trimmed, at most MAX_QUERY characters. */
  q: string;
  sort: SortKey;
  dir: SortDir;
  /** 1-based; a page past the last shows the last. */
  page: number;
}

export const DEFAULT_QUERY: ChannelListQuery = { state: null, q: "", sort: "severity", dir: "asc", page: 1 };
export const MAX_QUERY = 100;

export function isStateFilter(value: string): value is StateFilter {
  return isChannelState(value) || Object.hasOwn(STATE_GROUPS, value);
}

export function matchesStateFilter(state: ChannelState, filter: StateFilter | null): boolean {
  if (filter === null) return true;
  if (isChannelState(filter)) return state === filter;
  return STATE_GROUPS[filter](state);
}

/** Every filter value in the order a select offers them: groups first, then states as CHANNEL_STATES lists them. */
export const STATE_FILTERS: readonly StateFilter[] = [...(Object.keys(STATE_GROUPS) as StateGroup[]), ...CHANNEL_STATES];

export function readChannelListQuery(params: URLSearchParams): ChannelListQuery {
  const state = params.get("state") ?? "";
  const sort = params.get("sort") ?? "";
  const key = (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : DEFAULT_QUERY.sort;
  const dir = params.get("dir");
  const page = Number(params.get("page"));
  return {
    state: isStateFilter(state) ? state : null,
    q: (params.get("q") ?? "").trim().slice(0, MAX_QUERY),
    sort: key,
    dir: dir === "asc" || dir === "desc" ? dir : DEFAULT_DIR[key],
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/** Next's `searchParams` (a record) as URLSearchParams; a repeated key keeps its first value. */
export function toSearchParams(record: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) params.set(key, first);
  }
  return params;
}

/** The query string for this view (defaults left out, stable key order), with its "?" — or "". */
export function channelListSearch(query: ChannelListQuery, options: { page?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (query.state) params.set("state", query.state);
  if (query.q) params.set("q", query.q);
  if (query.sort !== DEFAULT_QUERY.sort) params.set("sort", query.sort);
  if (query.dir !== DEFAULT_DIR[query.sort]) params.set("dir", query.dir);
  if (options.page !== false && query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A change of filter, search or order starts again from the first page. */
export function changeQuery(query: ChannelListQuery, change: Partial<Omit<ChannelListQuery, "page">>): ChannelListQuery {
  return { ...query, ...change, page: 1 };
}

/** What a column header links to: its own direction first, the other one when it is already in force. */
export function sortedBy(query: ChannelListQuery, sort: SortKey): ChannelListQuery {
  if (query.sort !== sort) return changeQuery(query, { sort, dir: DEFAULT_DIR[sort] });
  return changeQuery(query, { dir: query.dir === "asc" ? "desc" : "asc" });
}

export function isFiltered(query: ChannelListQuery): boolean {
  return query.state !== null || query.q !== "";
}
