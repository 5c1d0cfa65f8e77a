import type { LookupFunction } from "node:net";
import { Agent } from "undici";
import { normalizeHostName } from "@/lib/net/allow-list";

/**
 * Connection pools whose sockets only ever go to addresses the outbound guard vetted. What must stay
 * true: an agent is keyed by the origin AND the exact vetted address set, and its lookup answers only
 * that set, so a pooled keep-alive socket can never lead somewhere a later vetting would refuse (a new
 * answer from DNS is a new key, hence a new agent). Pooling keeps keep-alive and TLS sessions across a
 * monitor pass, as the global fetch did, instead of a handshake per gateway call.
 */

export interface PinnedTarget {
  origin: string;
  host: string;
  addresses: readonly { address: string; family: 4 | 6 }[];
}

const MAX_AGENTS = 256;
const agents = new Map<string, Agent>();

export function pinnedAgent(target: PinnedTarget): Agent {
  const key = `${target.origin}|${target.addresses.map((entry) => entry.address).join(",")}`;
  const cached = agents.get(key);
  if (cached) {
    // Most recently used last, so eviction takes the stalest.
    agents.delete(key);
    agents.set(key, cached);
    return cached;
  }
  const agent = new Agent({ connect: { lookup: lookupFor(target) } });
  agents.set(key, agent);
  if (agents.size > MAX_AGENTS) {
    const [oldestKey, oldest] = agents.entries().next().value as [string, Agent];
    agents.delete(oldestKey);
    // In-flight requests finish; only then are its sockets closed.
    void oldest.close().catch(() => undefined);
  }
  return agent;
}

/** Node's socket asks this instead of DNS; the URL keeps the name, so Host and SNI are unchanged. */
function lookupFor(target: PinnedTarget): LookupFunction {
  return (hostname, options, callback) => {
    if (normalizeHostName(hostname) !== target.host) {
      callback(Object.assign(new Error(`unexpected host ${hostname}`), { code: "ENOTFOUND" }), "", 4);
    } else if (options.all) {
      (callback as unknown as (error: null, all: PinnedTarget["addresses"]) => void)(null, target.addresses);
    } else {
      const chosen = target.addresses.find((entry) => !options.family || entry.family === options.family) ?? target.addresses[0];
      callback(null, chosen.address, chosen.family);
    }
  };
}
