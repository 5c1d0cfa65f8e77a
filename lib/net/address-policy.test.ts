import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyAddress, judgeDestination, type AddressRange } from "@/lib/net/address-policy";
import { AllowListError, parseAllowList } from "@/lib/net/allow-list";
import { cidr, formatIp, parseIp, type CidrBlock, type IpAddress } from "@/lib/net/ip-address";

const ip = (text: string): IpAddress => {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`not an address: ${text}`);
  return parsed;
};
const classify = (text: string) => classifyAddress(ip(text));
const judge = (address: string, allowed = "", host = address, port = 80) =>
  judgeDestination({ host, port, address }, parseAllowList(allowed));

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["10.0.0.5", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["169.254.1.1", "link-local"],
    ["fe80::1", "link-local"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["100.100.100.200", "metadata"],
    ["168.63.129.16", "metadata"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["100.64.0.1", "shared"],
    ["100.127.255.255", "shared"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "reserved"],
    ["198.18.0.1", "reserved"],
    ["2001:db8::1", "reserved"],
    ["2001:0:4136:e378::1", "reserved"],
    ["100::1", "reserved"],
    ["::7f00:1", "reserved"],
    // IPv6 forms that carry an IPv4 address are judged by that address.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:10.1.2.3", "private"],
    ["64:ff9b::10.0.0.1", "private"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["2002:7f00:1::1", "loopback"],
    ["2002:c0a8:101::1", "private"],
    ["64:ff9b:1::1", "private"],
  ] as [string, AddressRange][])("%s is %s", (address, range) => {
    expect(classify(address)).toBe(range);
  });

  it.each(["1.1.1.1", "8.8.8.8", "93.184.215.14", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"])(
    "%s is public",
    (address) => {
      expect(classify(address)).toBe("public");
    },
  );
});

describe("parseAllowList", () => {
  it("reads host names, host:port, [IPv6]:port and CIDR blocks; blanks and spaces are ignored", () => {
    const entries = parseAllowList(" GW.Internal. , gw2.internal:8080,127.0.0.1:54330, [::1]:8080 ,10.20.0.0/16,fd00::/8,::1,192.168.1.7,");
    expect(entries.map((entry) => [entry.kind, entry.kind === "host" ? entry.host : `${formatIp({ family: entry.block.family, value: entry.block.base })}/${entry.block.prefix}`, entry.port])).toEqual([
      ["host", "gw.internal", undefined],
      ["host", "gw2.internal", 8080],
      ["block", "127.0.0.1/32", 54330],
      ["block", "::1/128", 8080],
      ["block", "10.20.0.0/16", undefined],
      ["block", "fd00::/8", undefined],
      ["block", "::1/128", undefined],
      ["block", "192.168.1.7/32", undefined],
    ]);
    expect(parseAllowList(undefined)).toEqual([]);
    expect(parseAllowList("")).toEqual([]);
  });

  it.each(["gw.internal:0", "gw.internal:70000", "gw.internal:http", "10.0.0.0/33", "fd00::/129", "10.0.0.0/8/8", "[::1", "[gw.internal]:80", "gw internal", "*.internal", "http://gw.internal", "[::1/64]:80", "-gw.internal"])(
    "refuses %j, naming the entry",
    (entry) => {
      expect(() => parseAllowList(`gw.ok,${entry}`)).toThrow(AllowListError);
      expect(() => parseAllowList(`gw.ok,${entry}`)).toThrow(`"${entry}"`);
    },
  );
});

describe("judgeDestination", () => {
  it("allows public addresses without any entry and refuses the rest", () => {
    expect(judge("93.184.215.14")).toEqual({ allowed: true, range: "public" });
    expect(judge("10.0.0.5")).toEqual({ allowed: false, range: "private" });
  });

  it("a host:port entry allows that port only", () => {
    expect(judge("127.0.0.1", "127.0.0.1:54330", "127.0.0.1", 54330).allowed).toBe(true);
    expect(judge("127.0.0.1", "127.0.0.1:54330", "127.0.0.1", 5432).allowed).toBe(false);
    expect(judge("10.0.0.5", "gw.internal:8080", "gw.internal", 8080).allowed).toBe(true);
    expect(judge("10.0.0.5", "gw.internal:8080", "GW.internal", 80).allowed).toBe(false);
    expect(judge("10.0.0.5", "gw.internal:8080", "other.internal", 8080).allowed).toBe(false);
  });

  it("a host name entry allows whatever that name resolves to, on any port", () => {
    expect(judge("10.0.0.5", "gw.internal", "gw.internal", 443).allowed).toBe(true);
  });

  it("a block allows its addresses, also as IPv4-mapped IPv6", () => {
    expect(judge("10.20.3.4", "10.20.0.0/16").allowed).toBe(true);
    expect(judge("::ffff:10.20.3.4", "10.20.0.0/16").allowed).toBe(true);
    expect(judge("10.21.3.4", "10.20.0.0/16").allowed).toBe(false);
    expect(judge("::1", "[::1]:8080", "::1", 8080).allowed).toBe(true);
  });

  it("metadata addresses need an entry naming exactly that address", () => {
    expect(judge("169.254.169.254", "169.254.0.0/16")).toEqual({ allowed: false, range: "metadata" });
    expect(judge("169.254.169.254", "0.0.0.0/0")).toEqual({ allowed: false, range: "metadata" });
    expect(judge("169.254.169.254", "metadata.google.internal", "metadata.google.internal").allowed).toBe(false);
    expect(judge("169.254.169.254", "169.254.169.254").allowed).toBe(true);
    expect(judge("169.254.169.254", "169.254.169.254:80").allowed).toBe(true);
    expect(judge("169.254.10.10", "169.254.0.0/16").allowed).toBe(true);
  });
});

describe("ip-address", () => {
  it("formats and parses back every address the way URLs spell them", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }), (value) => {
        const text = formatIp({ family: 6, value });
        expect(new URL(`http://[${text}]/`).hostname).toBe(`[${text}]`);
        expect(parseIp(text)).toEqual({ family: 6, value });
      }),
    );
  });
});

/**
 * Written independently of address-policy.ts (from the IANA special-purpose registries), so a block
 * dropped or mistyped there fails here.
 */
const REFUSED: readonly [string, AddressRange][] = [
  ["0.0.0.0/8", "unspecified"], ["10.0.0.0/8", "private"], ["100.64.0.0/10", "shared"], ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"], ["172.16.0.0/12", "private"], ["192.168.0.0/16", "private"],
  ["224.0.0.0/4", "multicast"], ["240.0.0.0/4", "reserved"], ["::1/128", "loopback"], ["fc00::/7", "private"],
  ["fe80::/10", "link-local"], ["ff00::/8", "multicast"], ["2001:db8::/32", "reserved"],
];
const METADATA = ["169.254.169.254", "fd00:ec2::254", "100.100.100.200"];

function addressIn(block: CidrBlock) {
  const bits = block.family === 4 ? 32 : 128;
  const size = 2n ** BigInt(bits - block.prefix);
  return fc.bigInt({ min: 0n, max: size - 1n }).map((offset) => formatIp({ family: block.family, value: block.base + offset }));
}

const refusedAddress = fc
  .constantFrom(...REFUSED)
  .chain(([block]) => addressIn(cidr(block)).map((address) => ({ block, address })));

describe("property: refused ranges", () => {
  it("any address in a refused range is refused, also IPv4-mapped, unless an entry allows it", () => {
    fc.assert(
      fc.property(refusedAddress, fc.integer({ min: 1, max: 65535 }), ({ block, address }, port) => {
        const metadata = METADATA.includes(address);
        const host = address;
        expect(judgeDestination({ host, port, address }, []).allowed).toBe(false);
        if (!address.includes(":")) {
          expect(judgeDestination({ host, port, address: `::ffff:${address}` }, []).allowed).toBe(false);
        }
        // An entry for another port or another block changes nothing.
        const other = parseAllowList(`${address.includes(":") ? `[${address}]` : address}:${port === 1 ? 2 : port - 1},gw.internal`);
        expect(judgeDestination({ host, port, address }, other).allowed).toBe(false);
        // The block itself allows it (metadata only when named exactly), and so does the exact address.
        expect(judgeDestination({ host, port, address }, parseAllowList(block)).allowed).toBe(!metadata);
        expect(judgeDestination({ host, port, address }, parseAllowList(address)).allowed).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("metadata addresses are refused under any block that contains them", () => {
    fc.assert(
      fc.property(fc.constantFrom(...METADATA), fc.integer({ min: 0, max: 31 }), (address, shorter) => {
        const parsed = ip(address);
        const prefix = Math.max(0, (parsed.family === 4 ? 32 : 128) - 1 - shorter);
        const block = `${formatIp(parsed)}/${prefix}`;
        expect(judgeDestination({ host: address, port: 80, address }, parseAllowList(block))).toEqual({ allowed: false, range: "metadata" });
      }),
    );
  });
});
