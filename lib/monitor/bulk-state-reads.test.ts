import { describe, expect, it } from "vitest";
import { encryptSecret, generateSecretKey } from "@/lib/crypto/secret-box";
import { confirmationPhase, createPassStateReads, decideLiveRead, LIVE_READ_EVERY, type ListedStatus } from "@/lib/monitor/bulk-state-reads";
import type { Observation } from "@/lib/monitor/classify-state";
import type { ChannelStatusRow, ClaimedChannel } from "@/lib/monitor/types";
import { ProviderError, type GatewayInstance, type Provider } from "@/lib/providers/types";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const MINUTE = 60_000;
const secretKey = generateSecretKey();
const GLOBAL_KEY = encryptSecret("the-global-key", secretKey);

function status(overrides: Partial<ChannelStatusRow> = {}): ChannelStatusRow {
  return {
    state: "connected", reason: "open", since: new Date(NOW.getTime() - 60 * MINUTE), lastCheckedAt: new Date(NOW.getTime() - MINUTE),
    pendingState: null, pendingReason: null, pendingSince: null, reconnectAttempt: 0, nextReconnectAt: null, recentReconnects: [],
    qrRequestedAt: null, lastCheckRecordedAt: null, accountedUntil: null, listedChecks: 0, ...overrides,
  };
}

function channel(name: string, overrides: Partial<ClaimedChannel> = {}): ClaimedChannel {
  return {
    channelId: `ch-${name}`, tenantId: "t", timezone: "UTC", provider: "evolution", gatewayUrl: "https://evo.example.test",
    instanceName: name, apiKeyCiphertext: GLOBAL_KEY, gatewayId: "gw-1", gatewayKeyCiphertext: GLOBAL_KEY, checkIntervalSeconds: 30,
    status: status(), webhook: {
      secretCiphertext: null, events: [], enabled: true, checkedAt: null, lastEventAt: null, silentSince: null,
      silenceThresholdSeconds: null, mode: "manage", downstream: null,
    },
    ...overrides,
  };
}

const OPEN: Observation = { state: "connected", reason: "open", gatewayState: "open", latencyMs: 50 };
const CLOSED: Observation = { state: "disconnected", reason: "connection closed", gatewayState: "close", reasonCode: 428, latencyMs: 50 };

/** A gateway whose list says `listed` for every instance; counts listings and the keys they were read with. */
function gateway(listed: (name: string) => ListedStatus | undefined, names: string[]) {
  const calls = { listings: 0, keys: [] as string[] };
  const provider = {
    kind: "evolution",
    async listInstances(target: { apiKey: string }) {
      calls.listings++;
      calls.keys.push(target.apiKey);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return names.flatMap((name): GatewayInstance[] => {
        const status = listed(name);
        return status ? [{ name, phone: null, connectionStatus: status, profileName: null }] : [];
      });
    },
  } as unknown as Provider;
  return { provider, calls };
}

describe("decideLiveRead: which channels the gateway's list may answer for", () => {
  const cases: Array<[string, ListedStatus | null | undefined, Partial<ChannelStatusRow>, string | null]> = [
    ["connected, listed open, nothing new", "open", {}, null],
    ["no listing for its gateway", null, {}, "no_listing"],
    ["missing from the listing", undefined, {}, "not_listed"],
    ["listed close", "close", {}, "listed_not_open"],
    ["listed connecting", "connecting", {}, "listed_not_open"],
    ["listed unreadable", "unknown", {}, "listed_not_open"],
    ["never checked", "open", { lastCheckedAt: null, state: "unknown" }, "never_checked"],
    ["was disconnected (a recovery is confirmed live)", "open", { state: "disconnected" }, "changed"],
    ["was needs_qr: listed open that never connected", "open", { state: "needs_qr" }, "changed"],
    ["a down observation awaits confirmation", "open", { pendingState: "disconnected", pendingSince: NOW }, "pending"],
    ["a webhook moved it after the last check", "open", { since: new Date(NOW.getTime() - MINUTE / 2) }, "moved_by_event"],
    [`${LIVE_READ_EVERY - 2} listed checks in a row`, "open", { listedChecks: LIVE_READ_EVERY - 2 }, null],
    [`${LIVE_READ_EVERY - 1} listed checks in a row`, "open", { listedChecks: LIVE_READ_EVERY - 1 }, "confirm_due"],
  ];
  it.each(cases)("%s", (_label, listed, overrides, expected) => {
    expect(decideLiveRead({ listed, status: status(overrides) })).toBe(expected);
  });

  it("a channel the list always calls open is still read live at least every 10th check", () => {
    let listedChecks = 0;
    const live: number[] = [];
    for (let pass = 1; pass <= 100; pass++) {
      const reason = decideLiveRead({ listed: "open", status: status({ listedChecks }) });
      listedChecks = reason ? 0 : listedChecks + 1;
      if (reason) live.push(pass);
    }
    const gaps = live.map((pass, i) => pass - (live[i - 1] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(LIVE_READ_EVERY);
    expect(live).toHaveLength(10);
  });
});

describe("createPassStateReads", () => {
  it("reads each gateway's list once per pass, with the gateway's key, for all its channels at once", async () => {
    const names = Array.from({ length: 50 }, (_, i) => `i${i}`);
    const { provider, calls } = gateway(() => "open", names);
    const reads = createPassStateReads({ secretKey });
    let live = 0;
    const results = await Promise.all(names.map((name) => reads.read(channel(name), provider, async () => (live++, OPEN))));
    expect(calls).toEqual({ listings: 1, keys: ["the-global-key"] });
    expect(live).toBe(0);
    expect(results.every((r) => r.observation.state === "connected" && r.listedChecks === 1)).toBe(true);
    // The next pass reads the list again.
    const next = createPassStateReads({ secretKey });
    await next.read(channel("i0"), provider, async () => OPEN);
    expect(calls.listings).toBe(2);
  });

  it("an instance listed open but closed live is caught within 10 passes, never trusted for good", async () => {
    // The gateway's row kept `open` after a reconnectable close (2.3.6 never stores a 428): the list lags.
    const { provider } = gateway(() => "open", ["dropped"]);
    let row = status();
    const seen: string[] = [];
    for (let pass = 1; pass <= LIVE_READ_EVERY; pass++) {
      const reads = createPassStateReads({ secretKey });
      const { observation, listedChecks } = await reads.read(channel("dropped", { status: row }), provider, async () => CLOSED);
      seen.push(observation.state);
      if (observation.state !== "connected") break;
      row = status({ listedChecks });
    }
    expect(seen.at(-1)).toBe("disconnected");
    expect(seen.length).toBeLessThanOrEqual(LIVE_READ_EVERY);
  });

  it("a list that fails, times out or is too big leaves this pass to read that gateway's channels one by one", async () => {
    const failing = {
      kind: "evolution",
      listInstances: async () => {
        throw new ProviderError("invalid_response", "listInstances: gateway answer larger than 33554432 bytes");
      },
    } as unknown as Provider;
    const failures: string[] = [];
    const reads = createPassStateReads({ secretKey, onListingFailed: (gatewayId) => failures.push(gatewayId) });
    let live = 0;
    const results = await Promise.all(["a", "b", "c"].map((name) => reads.read(channel(name), failing, async () => (live++, OPEN))));
    expect(live).toBe(3);
    expect(failures).toEqual(["gw-1"]);
    expect(results.map((r) => r.observation.state)).toEqual(["connected", "connected", "connected"]);
  });

  it("reads live what the list does not say is open, and channels of gateways without a global key", async () => {
    const { provider, calls } = gateway((name) => (name === "gone" ? undefined : name === "qr" ? "connecting" : "open"), ["ok", "qr", "gone"]);
    const reads = createPassStateReads({ secretKey });
    const liveRead: string[] = [];
    const read = (c: ClaimedChannel) => reads.read(c, provider, async () => (liveRead.push(c.instanceName), OPEN));
    await Promise.all([
      read(channel("ok")), read(channel("qr")), read(channel("gone")),
      read(channel("own-key", { gatewayId: "gw-2", gatewayKeyCiphertext: null })),
    ]);
    expect(liveRead.sort()).toEqual(["gone", "own-key", "qr"]);
    expect(calls.listings).toBe(1);
  });

  it("never lists a kind whose listing is no health read (the Cloud API's phone numbers), even with a gateway key", async () => {
    const { provider: evolution, calls } = gateway(() => "open", ["1065"]);
    const cloudApi = { ...evolution, kind: "cloud-api" } as Provider;
    const reads = createPassStateReads({ secretKey, onListingFailed: () => expect.fail("no listing is read") });
    let live = 0;
    const read = await reads.read(channel("1065", { provider: "cloud-api" }), cloudApi, async () => (live++, OPEN));
    expect(read.observation).toBe(OPEN);
    expect([live, calls.listings]).toEqual([1, 0]);
  });

  it("decrypts a sealed key for the pass; a gateway key it cannot open fails the list, not the channels", async () => {
    const reads = createPassStateReads({ secretKey, onListingFailed: () => {} });
    expect(reads.decrypt(GLOBAL_KEY)).toBe("the-global-key");
    expect(reads.decrypt(GLOBAL_KEY)).toBe("the-global-key");
    const { provider, calls } = gateway(() => "open", ["x"]);
    const sealedElsewhere = encryptSecret("k", generateSecretKey());
    const result = await reads.read(channel("x", { gatewayKeyCiphertext: sealedElsewhere }), provider, async () => CLOSED);
    expect([calls.listings, result.observation.state]).toEqual([0, "disconnected"]);
  });
});

describe("one listing per gateway URL and key", () => {
  it("tenants' own gateway rows for one server and one global key share a listing; another key or URL reads its own", async () => {
    const { provider, calls } = gateway(() => "open", ["a", "b", "c", "d"]);
    const reads = createPassStateReads({ secretKey });
    await Promise.all([
      reads.read(channel("a", { gatewayId: "tenant-1-gw" }), provider, async () => OPEN),
      reads.read(channel("b", { gatewayId: "tenant-2-gw", gatewayKeyCiphertext: encryptSecret("the-global-key", secretKey) }), provider, async () => OPEN),
      reads.read(channel("c", { gatewayId: "tenant-3-gw", gatewayKeyCiphertext: encryptSecret("another-key", secretKey) }), provider, async () => OPEN),
      reads.read(channel("d", { gatewayId: "tenant-4-gw", gatewayUrl: "https://other.example.test" }), provider, async () => OPEN),
    ]);
    expect(calls.keys.sort()).toEqual(["another-key", "the-global-key", "the-global-key"]);
  });
});

describe("confirmations spread over passes", () => {
  it("a channel's phase is fixed and the fleet's phases are spread about evenly", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const counts = Array.from({ length: LIVE_READ_EVERY }, () => 0);
    for (const id of ids) counts[confirmationPhase(id)]++;
    expect(Math.min(...counts)).toBeGreaterThan(850);
    expect(Math.max(...counts)).toBeLessThan(1150);
    expect(confirmationPhase(ids[7])).toBe(confirmationPhase(ids[7]));
  });

  it("after its due confirmation a channel counts from 0; after any other live read, from its phase", async () => {
    const { provider } = gateway(() => "open", ["x"]);
    const reads = createPassStateReads({ secretKey, phase: () => 6 });
    const due = await reads.read(channel("x", { status: status({ listedChecks: LIVE_READ_EVERY - 1 }) }), provider, async () => OPEN);
    const first = await reads.read(channel("x", { status: status({ lastCheckedAt: null, state: "unknown" }) }), provider, async () => OPEN);
    expect([due.listedChecks, first.listedChecks]).toEqual([0, 6]);
  });
});
