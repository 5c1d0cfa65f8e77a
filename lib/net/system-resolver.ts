import { lookup } from "node:dns/promises";

/**
 * The default resolver: getaddrinfo, as a socket would use, with every address (`all`) in the system's
 * order. Answers are kept for a short while so a monitor pass over many channels on one gateway does
 * not queue a lookup per call on libuv's four threads. Caching answers opens no rebinding gap: every
 * answer is judged again on every request, and the connection goes to exactly the judged addresses.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

const TTL_MS = 30_000;
const MAX_NAMES = 1024;
const answers = new Map<string, { expires: number; addresses: Promise<ResolvedAddress[]> }>();

async function lookUp(host: string): Promise<ResolvedAddress[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

export function systemResolver(host: string, now = Date.now()): Promise<ResolvedAddress[]> {
  const cached = answers.get(host);
  if (cached && cached.expires > now) return cached.addresses;
  // One lookup in flight per name; a failed one is forgotten at once, so the next call asks again.
  const addresses = lookUp(host);
  answers.set(host, { expires: now + TTL_MS, addresses });
  addresses.catch(() => answers.delete(host));
  if (answers.size > MAX_NAMES) answers.delete(answers.keys().next().value as string);
  return addresses;
}
