import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { createPassStateReads, LIVE_READ_EVERY } from "@/lib/monitor/bulk-state-reads";
import { backends, type OpenDatabase } from "@/test/databases";
import { GATEWAY_KEY, startHarness, type Harness } from "@/test/monitor-harness";

/**
 * Bulk state reads against the simulator, whose fetchInstances lists the gateway's stored status as
 * 2.3.6 does (a reconnectable close is never stored; a row can say open for an instance that never
 * connected). PostgreSQL only: the SQL is the claim's and the status write's, which every other
 * integration test runs on PGlite too.
 */
describe("bulk state reads: one listing per gateway, confirmed live", () => {
  let database: OpenDatabase;
  let h: Harness;
  beforeAll(async () => {
    database = await backends.find((backend) => backend.name === "postgres")!.open();
  });
  afterAll(async () => database.close());
  beforeEach(async () => {
    await database.sql`truncate public.tenants, public.monitor_runs cascade`;
    h = await startHarness(database.sql);
  });
  afterEach(async () => h.stop());

  const liveReads = (name: string) => h.simulator.stats(name).calls["GET /instance/connectionState"] ?? 0;
  async function pass() {
    const summary = await h.pass();
    h.clock.advance(30_000);
    return summary;
  }

  it("an instance listed open but closed live is caught within 10 passes; the rest is read live every 10th pass", async () => {
    const steady = await h.addChannel("steady", "healthy");
    const dropper = await h.addChannel("dropper", "healthy");
    // Listed connected, never connected (field reports): the first, live, read tells.
    const ghost = await h.addChannel("ghost", "never_paired");
    h.simulator.addInstance({ name: "ghost", storedStatus: "open" });
    await h.sql`update public.gateways set global_key_ciphertext = ${encryptSecret(GATEWAY_KEY, h.secretKey)}
      where base_url = ${h.simulator.url}`;

    expect(await pass()).toMatchObject({ checked: 3, failed: 0 });
    expect([(await h.status(steady)).state, (await h.status(dropper)).state, (await h.status(ghost)).state])
      .toEqual(["connected", "connected", "needs_qr"]);

    // 428 is a close 2.3.6 reconnects from: it never reaches the gateway's row, which keeps saying open.
    h.simulator.setScenario("dropper", "drops_and_recovers", { recoverAfterMs: 600_000 });
    expect(h.simulator.stats("dropper")).toMatchObject({ state: "close", storedStatus: "open" });
    const readsBefore = liveReads("dropper");
    let caught: { after: number; liveReads: number } | undefined;
    for (let n = 1; n <= LIVE_READ_EVERY; n++) {
      await pass();
      const row = await h.status(dropper);
      if (!caught && (row.pending_state === "disconnected" || row.state === "disconnected")) {
        caught = { after: n, liveReads: liveReads("dropper") - readsBefore };
      }
    }
    // Caught by its first live read since the drop, within 10 passes (when depends on its phase).
    expect(caught).toMatchObject({ liveReads: 1 });
    expect(caught!.after).toBeLessThanOrEqual(LIVE_READ_EVERY);

    // Over 11 passes the healthy line was read live twice: its first check and one confirmation.
    expect(liveReads("steady")).toBe(2);
    // Listed open while it needs a QR scan: every pass reads it live.
    expect(liveReads("ghost")).toBe(1 + LIVE_READ_EVERY);
    expect((await h.status(ghost)).state).toBe("needs_qr");
  });

  it("the check after the monitor's own transition is answered by the listing: its since is not a webhook's", async () => {
    const fresh = await h.addChannel("fresh", "healthy");
    await h.sql`update public.gateways set global_key_ciphertext = ${encryptSecret(GATEWAY_KEY, h.secretKey)}
      where base_url = ${h.simulator.url}`;
    // The clock moves on within a pass, as it does for real: each check comes a moment after its claim,
    // so its transition's since is later than the claim.
    let at = h.clock.now.getTime();
    const deps = { clock: () => new Date((at += 5)), stateReads: createPassStateReads({ secretKey: h.secretKey, phase: () => 0 }) };
    await h.pass({}, deps);
    expect((await h.status(fresh)).state).toBe("connected");
    at += 30_000;
    await h.pass({}, { ...deps, stateReads: createPassStateReads({ secretKey: h.secretKey, phase: () => 0 }) });
    // The first check (never checked) was live; the second came from the listing.
    expect(liveReads("fresh")).toBe(1);
  });

  it("a change since the last check (here a webhook's) is read live, and without a global key nothing is listed", async () => {
    const a = await h.addChannel("a", "healthy");
    const b = await h.addChannel("b", "healthy");
    // Both count from 0 (their phase pinned; the claim counts, channel_schedule.listed_checks), so no
    // confirmation falls in these passes.
    await h.sql`update public.channel_schedule set listed_checks = 0 where channel_id = any(${[a, b]}::uuid[])`;
    const pass = async () => {
      await h.pass({}, { stateReads: createPassStateReads({ secretKey: h.secretKey, phase: () => 0 }) });
      h.clock.advance(30_000);
    };
    await pass();
    await pass();
    expect([liveReads("a"), liveReads("b")]).toEqual([2, 2]);

    await h.sql`update public.gateways set global_key_ciphertext = ${encryptSecret(GATEWAY_KEY, h.secretKey)}
      where base_url = ${h.simulator.url}`;
    await pass();
    expect([liveReads("a"), liveReads("b")]).toEqual([2, 2]);
    // A webhook moved `a` away and back after its last check: the list may not know; read it live.
    await h.sql`update public.channel_status set since = ${h.clock.now} where channel_id = ${a}`;
    h.clock.advance(1_000);
    await pass();
    expect([liveReads("a"), liveReads("b")]).toEqual([3, 2]);
    // Four claims since the pinned phase: the next due live read is six checks away.
    expect((await h.status(b)).listed_checks).toBe(4);
  });
});
