// One spelling per gateway address, decided without DNS. Every uniqueness check on gateways and channels
// and every "is this the address the key was entered for" comparison goes through canonicalGatewayUrl,
// so two spellings of one place (`LOCALHOST:80/`, `127.1`, `[::ffff:127.0.0.1]`) can never count as two.
// What must stay true: canonicalizing a canonical URL returns it unchanged (idempotent).

export type CanonicalGatewayUrl =
  | { ok: true; url: string; origin: string }
  | { ok: false; reason: CanonicalUrlRefusal };

export type CanonicalUrlRefusal =
  | "invalid"
  | "scheme"
  | "credentials"
  | "query"
  | "fragment"
  | "host"
  | "port";

const LOOPBACK = "127.0.0.1";

export function canonicalGatewayUrl(input: string): CanonicalGatewayUrl {
  const raw = input.trim();
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return { ok: false, reason: "scheme" };
  // `http://@host` parses with an empty user; refuse any '@' in the authority, not only a non-empty one.
  if (parsed.username || parsed.password || /^[a-z][a-z0-9+.-]*:[/\\]*[^/\\?#]*@/i.test(raw)) {
    return { ok: false, reason: "credentials" };
  }
  // A bare `?` or `#` leaves search/hash empty, so the raw text decides.
  if (parsed.search || raw.includes("?")) return { ok: false, reason: "query" };
  if (parsed.hash || raw.includes("#")) return { ok: false, reason: "fragment" };

  if (parsed.port === "0") return { ok: false, reason: "port" };
  const host = canonicalHost(parsed.hostname);
  if (!host) return { ok: false, reason: "host" };
  const origin = `${parsed.protocol}//${host}${parsed.port ? `:${parsed.port}` : ""}`;
  const path = normalizePercentEncoding(parsed.pathname).replace(/\/+$/, "");
  return { ok: true, url: origin + path, origin };
}

const REFUSALS: Record<CanonicalUrlRefusal, string> = {
  invalid: "must be an http(s) URL",
  scheme: "must be an http(s) URL",
  credentials: "cannot carry a user name or password",
  query: "cannot have a query string",
  fragment: "cannot have a #fragment",
  host: "has no host",
  port: "cannot use port 0",
};

/** Why a URL was refused, in words for a person: "gateway URL " + this. */
export function describeUrlRefusal(reason: CanonicalUrlRefusal): string {
  return REFUSALS[reason];
}

/** The canonical origin (scheme://host[:port]) of a URL, or null when the URL is refused. */
export function canonicalOrigin(input: string): string | null {
  const result = canonicalGatewayUrl(input);
  return result.ok ? result.origin : null;
}

/**
 * RFC 3986 §6.2.2: `%7e` and `~` are one path, so unreserved characters are decoded and every other
 * escape is written in upper case. URL leaves both as typed.
 */
function normalizePercentEncoding(path: string): string {
  return path.replace(/%[0-9a-fA-F]{2}/g, (escape) => {
    const char = String.fromCharCode(parseInt(escape.slice(1), 16));
    return /^[A-Za-z0-9\-._~]$/.test(char) ? char : escape.toUpperCase();
  });
}

/** Lowercased by URL already; here: trailing dots and literal aliases (loopback, IPv4-mapped IPv6). */
function canonicalHost(hostname: string): string | null {
  const host = hostname.replace(/\.+$/, "");
  if (!host) return null;
  if (host.startsWith("[")) return canonicalIpv6(host);
  if (host === "localhost" || host.endsWith(".localhost")) return LOOPBACK;
  if (isLoopbackIpv4(host)) return LOOPBACK;
  return host;
}

function isLoopbackIpv4(host: string): boolean {
  // URL has already normalized every IPv4 spelling (127.1, 0x7f.1, 2130706433) to dotted decimal.
  return host === "0.0.0.0" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function canonicalIpv6(bracketed: string): string {
  // URL serializes IPv6 compressed and lowercase: [::1], [::], [::ffff:7f00:1].
  const inner = bracketed.slice(1, -1);
  if (inner === "::1" || inner === "::") return LOOPBACK;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(inner);
  if (!mapped) return bracketed;
  const high = parseInt(mapped[1], 16);
  const low = parseInt(mapped[2], 16);
  const ipv4 = [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  return isLoopbackIpv4(ipv4) ? LOOPBACK : ipv4;
}
