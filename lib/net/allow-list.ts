import { bitsOf, parseCidr, parseIp, type CidrBlock } from "@/lib/net/ip-address";

/**
 * GATEWAY_ALLOWED_HOSTS: the operator's exceptions to the outbound address policy. A comma list whose
 * entries are a host name (`gw.internal`), a host and port (`gw.internal:8080`, `127.0.0.1:54330`,
 * `[::1]:8080`), or a CIDR block (`10.20.0.0/16`, `fd00:1::/64`; a bare address is /32 or /128).
 * Host names match the URL's host exactly, case-insensitively; a port, when given, must match the
 * URL's port (80/443 when the URL names none). Pure: no DNS.
 */

export type AllowEntry =
  | { kind: "host"; host: string; port?: number; text: string }
  | { kind: "block"; block: CidrBlock; port?: number; text: string };

export type AllowList = readonly AllowEntry[];

export const NOTHING_ALLOWED: AllowList = [];

export class AllowListError extends Error {
  constructor(readonly entry: string, detail: string) {
    super(`entry "${entry}" ${detail}`);
    this.name = "AllowListError";
  }
}

const HOST_NAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/;

/** Throws AllowListError naming the first entry that is none of the accepted forms. */
export function parseAllowList(text: string | undefined): AllowList {
  if (!text) return NOTHING_ALLOWED;
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map(parseEntry);
}

function parseEntry(text: string): AllowEntry {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    const block = parseCidr(bracketed[1]);
    if (!block || block.family !== 6 || block.prefix !== 128 || bracketed[1].includes("/")) {
      throw new AllowListError(text, "is not an IPv6 address in brackets, e.g. [::1]:8080");
    }
    return withPort({ kind: "block", block, text }, bracketed[2], text);
  }
  if (text.includes("/")) {
    const block = parseCidr(text);
    if (!block) throw new AllowListError(text, "is not a CIDR block, e.g. 10.0.0.0/8 or fd00::/8");
    return { kind: "block", block, text };
  }
  const bare = parseCidr(text);
  if (bare) return { kind: "block", block: bare, text };
  const hostPort = /^([^:]+):([^:]*)$/.exec(text);
  const [hostText, portText] = hostPort ? [hostPort[1], hostPort[2]] : [text, undefined];
  const address = parseCidr(hostText);
  if (address && address.family === 4) return withPort({ kind: "block", block: address, text }, portText, text);
  const host = normalizeHostName(hostText);
  if (!HOST_NAME.test(host) || parseIp(host)) {
    throw new AllowListError(text, "is not a host name, host:port, [IPv6]:port or CIDR block");
  }
  return withPort({ kind: "host", host, text }, portText, text);
}

function withPort<T extends AllowEntry>(entry: T, portText: string | undefined, text: string): T {
  if (portText === undefined) return entry;
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    throw new AllowListError(text, "has a port that is not a number from 1 to 65535");
  }
  return { ...entry, port: Number(portText) };
}

/** Host names compare lowercased and without the root's trailing dot (`GW.Internal.` is `gw.internal`). */
export function normalizeHostName(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

/** An entry that names one address exactly (a /32, /128, or an address with a port). */
export function isExactAddress(entry: AllowEntry): boolean {
  return entry.kind === "block" && entry.block.prefix === bitsOf(entry.block.family);
}
