import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalGatewayUrl, canonicalOrigin } from "./canonical-origin";

describe("canonicalGatewayUrl", () => {
  it.each([
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["HTTP://LOCALHOST:8080/", "http://127.0.0.1:8080"],
    ["http://localhost.:8080//", "http://127.0.0.1:8080"],
    ["http://tenant-b.localhost:8080", "http://127.0.0.1:8080"],
    ["http://127.1:8080", "http://127.0.0.1:8080"],
    ["http://0x7f.1:8080", "http://127.0.0.1:8080"],
    ["http://2130706433:8080", "http://127.0.0.1:8080"],
    ["http://0177.0.0.1:8080", "http://127.0.0.1:8080"],
    ["http://127.8.9.10:8080", "http://127.0.0.1:8080"],
    ["http://0.0.0.0:8080", "http://127.0.0.1:8080"],
    ["http://0:8080", "http://127.0.0.1:8080"],
    ["http://[::1]:8080", "http://127.0.0.1:8080"],
    ["http://[0:0:0:0:0:0:0:1]:8080", "http://127.0.0.1:8080"],
    ["http://[::]:8080", "http://127.0.0.1:8080"],
    ["http://[::ffff:127.0.0.1]:8080", "http://127.0.0.1:8080"],
    ["http://[::FFFF:7F00:1]:8080", "http://127.0.0.1:8080"],
    ["http://%6cocalhost:8080", "http://127.0.0.1:8080"],
    ["  http://localhost:8080  ", "http://127.0.0.1:8080"],
    ["http://[::ffff:10.1.2.3]", "http://10.1.2.3"],
    ["http://[fe80::1]:81/", "http://[fe80::1]:81"],
    ["http://Gateway.Example.COM./", "http://gateway.example.com"],
    ["http://gateway.example.com:80/", "http://gateway.example.com"],
    ["https://gateway.example.com:443/", "https://gateway.example.com"],
    ["https://gateway.example.com:80/", "https://gateway.example.com:80"],
    ["https://gateway.example.com/evolution/", "https://gateway.example.com/evolution"],
    ["https://gateway.example.com/a/../evolution///", "https://gateway.example.com/evolution"],
    ["https://gateway.example.com/Evolution", "https://gateway.example.com/Evolution"],
    ["https://gateway.example.com/%65vo%7e%2f%2F/", "https://gateway.example.com/evo~%2F%2F"],
    ["https://gateway.example.com/a b/{x}", "https://gateway.example.com/a%20b/%7Bx%7D"],
  ])("%s → %s", (input, url) => {
    const result = canonicalGatewayUrl(input);
    expect(result).toEqual({ ok: true, url, origin: new URL(url).origin.replace(/\/$/, "") });
  });

  it.each([
    ["not a url", "invalid"],
    ["", "invalid"],
    ["ftp://gateway.example.com", "scheme"],
    ["file:///etc/passwd", "scheme"],
    ["javascript:alert(1)", "scheme"],
    ["http://user:pass@gateway.example.com", "credentials"],
    ["http://user@gateway.example.com", "credentials"],
    ["http://@gateway.example.com", "credentials"],
    ["http://gateway.example.com/?a=1", "query"],
    ["http://gateway.example.com/?", "query"],
    ["http://gateway.example.com/#x", "fragment"],
    ["http://gateway.example.com/#", "fragment"],
    ["http://gateway.example.com:0", "port"],
  ])("refuses %j (%s)", (input, reason) => {
    expect(canonicalGatewayUrl(input)).toEqual({ ok: false, reason });
  });

  it("gives the origin without the path", () => {
    expect(canonicalOrigin("https://GW.example.com:443/evolution/")).toBe("https://gw.example.com");
    expect(canonicalOrigin("ftp://gw.example.com")).toBeNull();
  });

  it("is idempotent: a canonical URL canonicalizes to itself", () => {
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.ipV6().map((ip) => `[${ip}]`),
      fc.constantFrom("localhost", "LocalHost.", "a.localhost", "[::ffff:127.0.0.1]", "0"),
    );
    const url = fc
      .record({
        scheme: fc.constantFrom("http", "https", "HTTP"),
        host,
        port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        path: fc.array(fc.webSegment(), { maxLength: 4 }),
        slashes: fc.integer({ min: 0, max: 3 }),
      })
      .map(
        ({ scheme, host, port, path, slashes }) =>
          `${scheme}://${host}${port ? `:${port}` : ""}/${path.join("/")}${"/".repeat(slashes)}`,
      );
    fc.assert(
      fc.property(url, (input) => {
        const once = canonicalGatewayUrl(input);
        if (!once.ok) return;
        const twice = canonicalGatewayUrl(once.url);
        expect(twice).toEqual(once);
        expect(once.url.startsWith(once.origin)).toBe(true);
        expect(once.url.endsWith("/")).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
