import { decryptSecret } from "@/lib/crypto/secret-box";
import type { Observation } from "@/lib/monitor/classify-state";
import type { ChannelStatusRow, ClaimedChannel } from "@/lib/monitor/types";
import { PROVIDER_TRAITS } from "@/lib/providers/traits";
import type { GatewayInstance, Provider } from "@/lib/providers/types";

/**
 * Bulk state reads: when a gateway has a global key, one listing (Evolution: `GET
 * /instance/fetchInstances`) answers for every channel of it that a pass checks, instead of one
 * `connectionState` per channel.
 *
 * What must stay true: the listing is the gateway's STORED status, not the live one. Evolution 2.3.6
 * answers `connectionState` from memory (InstanceController.connectionState) and `fetchInstances` from
 * its database (WAMonitoringService.instanceInfo), whose connectionStatus BaileysStartupService
 * .connectionUpdate writes only on open, on a close it does not reconnect from, and when it issues a QR:
 * an instance dropping with 428 or 440 stays listed `open` while it is closed, and a row can say `open`
 * for an instance that never connected. So the listing only ever confirms a channel that was
 * `connected` and is listed `open`, and every channel is read live at least every LIVE_READ_EVERY-th
 * check; anything else is read live (decideLiveRead).
 */

/** A channel answered by listings this many checks in a row is read live on the next one (the 10th). */
export const LIVE_READ_EVERY = 10;

/** A listing is given up on after this long (then this pass reads that gateway's channels one by one). */
export const LISTING_TIMEOUT_MS = 5_000;

/** A listing larger than this is not read (about 20,000 instances as 2.3.6 lists them): one by one instead. */
export const LISTING_MAX_BYTES = 32 * 1024 * 1024;

export type LiveReadReason =
  /** The gateway has no global key, no listing, or its listing failed this pass. */
  | "no_listing"
  /** The listing does not have the instance (deleted, renamed, another gateway): the live read says which. */
  | "not_listed"
  /** Listed close/connecting/unknown: the live read has the state as it is now, and the reason. */
  | "listed_not_open"
  /** Never checked: the first verdict is always live. */
  | "never_checked"
  /** The channel was not connected at its last check: a change (recovery) is confirmed live. */
  | "changed"
  /** A down observation awaits confirmation (flap damping): only a live read confirms or clears it. */
  | "pending"
  /** A webhook (or a person) moved the state after the last check: the gateway said something the list may not know. */
  | "moved_by_event"
  /** LIVE_READ_EVERY − 1 checks in a row came from listings. */
  | "confirm_due";

export type ListedStatus = GatewayInstance["connectionStatus"];

/**
 * Whether a channel needs a live read this check, and why; null when the listing answers for it.
 * `listed`: null when there is no listing for its gateway, undefined when the listing lacks the instance.
 */
export function decideLiveRead(input: {
  listed: ListedStatus | null | undefined;
  status: Pick<ChannelStatusRow, "state" | "since" | "lastCheckedAt" | "pendingState" | "listedChecks">;
}): LiveReadReason | null {
  const { listed, status } = input;
  if (listed === null) return "no_listing";
  if (listed === undefined) return "not_listed";
  if (listed !== "open") return "listed_not_open";
  if (status.lastCheckedAt === null) return "never_checked";
  if (status.state !== "connected") return "changed";
  if (status.pendingState !== null) return "pending";
  // The monitor's own transitions start at (or before) its check; a later `since` is someone else's.
  if (status.since.getTime() > status.lastCheckedAt.getTime()) return "moved_by_event";
  if ((status.listedChecks ?? 0) >= LIVE_READ_EVERY - 1) return "confirm_due";
  return null;
}

interface Listing {
  states: Map<string, ListedStatus>;
  latencyMs: number;
}

export interface StateRead {
  observation: Observation;
  /**
   * Progress towards the next live read: +1 per check a listing answered; after a live read 0 when it
   * was the due confirmation, else the channel's phase (confirmationPhase), listing or not.
   */
  listedChecks: number;
}

/**
 * Where a channel starts counting after a live read that was not its due confirmation (its first check,
 * a change): a fixed number in [0, LIVE_READ_EVERY) from its id, so the fleet's confirmations spread
 * over passes (about a tenth each pass) instead of all coming due on the same one. The next live read
 * still comes within LIVE_READ_EVERY checks: sooner, never later.
 */
export function confirmationPhase(channelId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < channelId.length; i++) hash = Math.imul(hash ^ channelId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % LIVE_READ_EVERY;
}

/**
 * One pass's reads: each gateway's listing (per URL and key) is read at most once per pass (the first channel of it to
 * be checked starts it, the others wait for the same answer), and each sealed key is decrypted once.
 * Lives for one pass only: nothing here survives to the next invocation.
 */
export interface PassStateReads {
  /** decryptSecret, once per distinct ciphertext per pass (a gateway's global key is shared by its channels). */
  decrypt(ciphertext: string): string;
  /** The channel's state from its gateway's listing when decideLiveRead allows, else from `live()`. */
  read(channel: ClaimedChannel, provider: Provider, live: () => Promise<Observation>): Promise<StateRead>;
}

function logListingFailure(gatewayId: string, error: unknown): void {
  const said = error instanceof Error ? error.message : String(error);
  console.error(`monitor: gateway ${gatewayId}: its instance list failed, reading its channels one by one this pass: ${said}`);
}

export function createPassStateReads(options: {
  secretKey: string;
  listingTimeoutMs?: number;
  listingMaxBytes?: number;
  /** Called once per listing that failed (the pass goes on reading that gateway one by one). */
  onListingFailed?: (gatewayId: string, error: unknown) => void;
  /** confirmationPhase by default; tests pin it. */
  phase?: (channelId: string) => number;
}): PassStateReads {
  const phase = options.phase ?? confirmationPhase;
  const secrets = new Map<string, string>();
  const listings = new Map<string, Promise<Listing | null>>();

  const decrypt = (ciphertext: string) => {
    let plain = secrets.get(ciphertext);
    if (plain === undefined) {
      plain = decryptSecret(ciphertext, options.secretKey);
      secrets.set(ciphertext, plain);
    }
    return plain;
  };

  async function readListing(channel: ClaimedChannel, provider: Provider, apiKey: string): Promise<Listing | null> {
    try {
      const started = performance.now();
      const rows = await provider.listInstances!(
        { baseUrl: channel.gatewayUrl, apiKey },
        { timeoutMs: options.listingTimeoutMs ?? LISTING_TIMEOUT_MS, maxBytes: options.listingMaxBytes ?? LISTING_MAX_BYTES },
      );
      const states = new Map<string, ListedStatus>();
      for (const row of rows) states.set(row.name, row.connectionStatus);
      return { states, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      (options.onListingFailed ?? logListingFailure)(channel.gatewayId ?? channel.gatewayUrl, error);
      return null;
    }
  }

  /**
   * One listing per gateway URL and key: tenants' own gateway rows for one server with one global key
   * share it (the same request would answer each), and the key is only ever sent to that URL.
   */
  function listingFor(channel: ClaimedChannel, provider: Provider): Promise<Listing | null> | null {
    const sealed = channel.gatewayKeyCiphertext;
    // A listing that is no health read (the Cloud API's phone numbers) never answers for a channel.
    if (!sealed || !provider.listInstances || !PROVIDER_TRAITS[provider.kind].capabilities.bulkStateReads) return null;
    let apiKey: string | undefined;
    try {
      apiKey = decrypt(sealed);
    } catch {
      // Reported once per pass with the failed listing below; its channels are read with their own keys.
    }
    const key = apiKey === undefined ? `${channel.gatewayUrl} sealed:${sealed}` : `${provider.kind} ${channel.gatewayUrl} ${apiKey}`;
    let listing = listings.get(key);
    if (!listing) {
      listing = apiKey === undefined
        ? Promise.resolve(null).then(() => {
          (options.onListingFailed ?? logListingFailure)(channel.gatewayId ?? channel.gatewayUrl, new Error("the gateway's global key cannot be decrypted"));
          return null;
        })
        : readListing(channel, provider, apiKey);
      listings.set(key, listing);
    }
    return listing;
  }

  return {
    decrypt,
    async read(channel, provider, live) {
      const listing = await listingFor(channel, provider);
      const listed = listing ? listing.states.get(channel.instanceName) : null;
      const reason = decideLiveRead({ listed, status: channel.status });
      if (listing && reason === null) {
        return {
          observation: {
            state: "connected", reason: "open", gatewayState: "open", latencyMs: listing.latencyMs,
            detail: "open in the gateway's instance list (fetchInstances)",
          },
          listedChecks: (channel.status.listedChecks ?? 0) + 1,
        };
      }
      // Channels of gateways without a listing keep their phase too: when their gateway gets a global
      // key, their confirmations are spread over passes from the first one.
      const listedChecks = reason === "confirm_due" ? 0 : phase(channel.channelId);
      return { observation: await live(), listedChecks };
    },
  };
}
