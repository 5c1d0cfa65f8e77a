import { isIP } from "node:net";

/**
 * IP addresses and CIDR blocks as numbers, so that "is this address inside that block" is one shift
 * and compare for both families. Pure: no DNS, no sockets.
 */

export interface IpAddress {
  family: 4 | 6;
  /** The address as an unsigned 32-bit (v4) or 128-bit (v6) number. */
  value: bigint;
}

export interface CidrBlock {
  family: 4 | 6;
  /** The block's first address (host bits cleared). */
  base: bigint;
  prefix: number;
}

export const bitsOf = (family: 4 | 6) => (family === 4 ? 32 : 128);

/** A literal as URLs and resolvers write it: brackets and a zone (`fe80::1%eth0`) are tolerated. */
export function parseIp(text: string): IpAddress | null {
  const bare = text.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return { family: 4, value: v4Value(bare) };
  if (family === 6) return { family: 6, value: v6Value(bare) };
  return null;
}

function v4Value(text: string): bigint {
  return text.split(".").reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function v6Value(text: string): bigint {
  let source = text.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is the last two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(source);
  if (quad) {
    const v4 = v4Value(quad[1]);
    source = `${source.slice(0, quad.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = source.split("::") as [string, string | undefined];
  const groupsOf = (part: string | undefined) => (part ? part.split(":") : []);
  const left = groupsOf(head);
  const right = groupsOf(tail);
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join(".");
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((ip.value >> shift) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952), so messages show the usual spelling.
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === "0") length++;
    if (length > best.length && length > 1) best = { start, length };
  }
  if (best.start < 0) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.length).join(":")}`;
}

/** `10.0.0.0/8`, `fc00::/7`; a bare address is its own block (/32, /128). Null when it is neither. */
export function parseCidr(text: string): CidrBlock | null {
  const [addressText, prefixText, ...rest] = text.trim().split("/");
  if (rest.length > 0) return null;
  const ip = parseIp(addressText);
  if (!ip || addressText.includes("%")) return null;
  const bits = bitsOf(ip.family);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return null;
  return { family: ip.family, base: clearHostBits(ip.value, bits, prefix), prefix };
}

function clearHostBits(value: bigint, bits: number, prefix: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

export function cidr(text: string): CidrBlock {
  const block = parseCidr(text);
  if (!block) throw new Error(`not a CIDR block: ${text}`);
  return block;
}

export function inBlock(block: CidrBlock, ip: IpAddress): boolean {
  if (block.family !== ip.family) return false;
  return clearHostBits(ip.value, bitsOf(ip.family), block.prefix) === block.base;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), which sockets reach as IPv4. */
export function unmapped(ip: IpAddress): IpAddress | null {
  if (ip.family === 6 && ip.value >> 32n === 0xffffn) return { family: 4, value: ip.value & 0xffffffffn };
  return null;
}
