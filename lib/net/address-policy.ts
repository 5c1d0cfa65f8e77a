import { isExactAddress, normalizeHostName, type AllowEntry, type AllowList } from "@/lib/net/allow-list";
import { cidr, inBlock, parseIp, unmapped, type CidrBlock, type IpAddress } from "@/lib/net/ip-address";

/**
 * Which addresses a URL typed by a tenant admin may reach. Only public unicast addresses are reachable
 * by default; everything that reaches this server, its network or its cloud's control plane is refused
 * unless the operator lists it in GATEWAY_ALLOWED_HOSTS. Pure: the caller resolves names.
 *
 * Cloud metadata addresses stay refused even inside an allowed block (`169.254.0.0/16`) or behind an
 * allowed host name: only an entry naming exactly that address allows one, because it hands out the
 * server's own cloud credentials.
 */

export type AddressRange =
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "unspecified"
  | "shared"
  | "multicast"
  | "broadcast"
  | "reserved";

/** Instance metadata and host endpoints of the big clouds (AWS incl. ECS/EKS, GCP, Azure, Alibaba). */
const METADATA: readonly CidrBlock[] = [
  "169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23",
  "100.100.100.200", "168.63.129.16",
].map(cidr);

// First match wins: the broadcast address before 240/4, the embedded forms before the blocks they sit in.
const V4_RANGES: readonly [CidrBlock, AddressRange][] = (
  [
    ["0.0.0.0/8", "unspecified"],
    ["10.0.0.0/8", "private"],
    ["100.64.0.0/10", "shared"],
    ["127.0.0.0/8", "loopback"],
    ["169.254.0.0/16", "link-local"],
    ["172.16.0.0/12", "private"],
    ["192.0.0.0/24", "reserved"],
    ["192.0.2.0/24", "reserved"],
    ["192.88.99.0/24", "reserved"],
    ["192.168.0.0/16", "private"],
    ["198.18.0.0/15", "reserved"],
    ["198.51.100.0/24", "reserved"],
    ["203.0.113.0/24", "reserved"],
    ["224.0.0.0/4", "multicast"],
    ["255.255.255.255/32", "broadcast"],
    ["240.0.0.0/4", "reserved"],
  ] as const
).map(([block, range]) => [cidr(block), range]);

const V6_RANGES: readonly [CidrBlock, AddressRange][] = (
  [
    ["::/128", "unspecified"],
    ["::1/128", "loopback"],
    ["64:ff9b:1::/48", "private"],
    ["2001::/32", "reserved"], // Teredo: tunnels to an address we cannot see
    ["2001:db8::/32", "reserved"],
    ["3fff::/20", "reserved"],
    ["fc00::/7", "private"],
    ["fe80::/10", "link-local"],
    ["fec0::/10", "private"],
    ["ff00::/8", "multicast"],
  ] as const
).map(([block, range]) => [cidr(block), range]);

const GLOBAL_UNICAST_V6 = cidr("2000::/3");
const NAT64 = cidr("64:ff9b::/96");
const SIX_TO_FOUR = cidr("2002::/16");

/** "public", or the reason an address is not a plain internet address. */
export function classifyAddress(ip: IpAddress): AddressRange | "public" {
  if (METADATA.some((block) => inBlock(block, ip))) return "metadata";
  if (ip.family === 4) return V4_RANGES.find(([block]) => inBlock(block, ip))?.[1] ?? "public";

  // IPv6 forms that carry an IPv4 address are as reachable as that address.
  const mapped = unmapped(ip);
  if (mapped) return classifyAddress(mapped);
  if (inBlock(NAT64, ip)) return classifyAddress({ family: 4, value: ip.value & 0xffffffffn });
  if (inBlock(SIX_TO_FOUR, ip)) return classifyAddress({ family: 4, value: (ip.value >> 80n) & 0xffffffffn });

  const listed = V6_RANGES.find(([block]) => inBlock(block, ip))?.[1];
  if (listed) return listed;
  // Everything outside global unicast (the rest of ::/8, 100::/64, future blocks) is not the internet.
  return inBlock(GLOBAL_UNICAST_V6, ip) ? "public" : "reserved";
}

/** Where a request would go: the URL's host as typed (lowercased) and port, and one resolved address. */
export interface Destination {
  host: string;
  port: number;
  address: string;
}

export type Verdict = { allowed: true; range: AddressRange | "public" } | { allowed: false; range: AddressRange };

export function judgeDestination(destination: Destination, allowed: AllowList): Verdict {
  const ip = parseIp(destination.address);
  if (!ip) return { allowed: false, range: "reserved" };
  const range = classifyAddress(ip);
  if (range === "public") return { allowed: true, range };
  const permits = (entry: AllowEntry) => entryAllows(entry, destination, ip, range === "metadata");
  return allowed.some(permits) ? { allowed: true, range } : { allowed: false, range };
}

function entryAllows(entry: AllowEntry, destination: Destination, ip: IpAddress, metadata: boolean): boolean {
  if (entry.port !== undefined && entry.port !== destination.port) return false;
  if (entry.kind === "host") return !metadata && entry.host === normalizeHostName(destination.host);
  if (metadata && !isExactAddress(entry)) return false;
  const v4 = unmapped(ip);
  return inBlock(entry.block, ip) || (v4 !== null && inBlock(entry.block, v4));
}
